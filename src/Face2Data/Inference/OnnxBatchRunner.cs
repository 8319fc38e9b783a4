using Face2Data.Schema;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Face2Data.Inference;

/// <summary>
/// Runs an <see cref="OnnxFaceModel"/> on batches held in memory it owns: one pinned input buffer of
/// <see cref="MaxBatchSize"/> images and, for each batch size used, the input and output <see cref="OrtValue"/>s over
/// that memory, made once and reused, so a run allocates nothing besides the result arrays. Not thread-safe: one
/// runner per thread (the model's session itself may be shared). Dispose it to free the native tensors.
/// </summary>
public sealed class OnnxBatchRunner : IDisposable
{
    private readonly OnnxFaceModel _model;
    private readonly float[] _input;
    private readonly float[][][] _outputs;
    private readonly Binding?[] _bindings;
    private readonly RunOptions _runOptions = new();
    private readonly int _imageLength;
    private bool _disposed;

    internal OnnxBatchRunner(OnnxFaceModel model, int maxBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _model = model;
        MaxBatchSize = maxBatchSize;
        _imageLength = model.Manifest.Preprocessing.TensorLength;
        _input = GC.AllocateArray<float>(maxBatchSize * _imageLength, pinned: true);
        _outputs = new float[maxBatchSize + 1][][];
        _bindings = new Binding?[maxBatchSize + 1];
    }

    /// <summary>Most images one run takes.</summary>
    public int MaxBatchSize { get; }

    /// <summary>
    /// Where the first <paramref name="batchSize"/> normalized CHW images go, end to end, before <see cref="Run"/>
    /// (see <see cref="Imaging.ImagePreprocessing.WriteTensor"/>).
    /// </summary>
    public Span<float> Input(int batchSize)
    {
        CheckBatchSize(batchSize);
        return _input.AsSpan(0, batchSize * _imageLength);
    }

    /// <summary>Runs the model on the first <paramref name="batchSize"/> images of the input.</summary>
    /// <returns>The outputs, in arrays of their own (later runs do not change them).</returns>
    public HeadOutputs Run(int batchSize)
    {
        CheckBatchSize(batchSize);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var binding = _bindings[batchSize] ??= Bind(batchSize);
        _model.Session.Run(_runOptions, _model.InputNames, binding.Inputs, _model.OutputNames, binding.Outputs);
        var values = new float[_outputs[batchSize].Length][];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float[])_outputs[batchSize][i].Clone();
        }

        return new HeadOutputs(_model.Schema, batchSize, values);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var binding in _bindings)
        {
            binding?.Dispose();
        }

        _runOptions.Dispose();
    }

    private void CheckBatchSize(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        if (_model.FixedBatch > 0 && batchSize != _model.FixedBatch)
        {
            throw new ArgumentException($"This model takes batches of exactly {_model.FixedBatch} images.", nameof(batchSize));
        }
    }

    private Binding Bind(int batchSize)
    {
        var size = _model.InputSize;
        var heads = _model.Schema.Heads;
        var outputs = new float[heads.Count][];
        var binding = new Binding();
        try
        {
            binding.Inputs.Add(OrtValue.CreateTensorValueFromMemory(
                OrtMemoryInfo.DefaultInstance, _input.AsMemory(0, batchSize * _imageLength), [batchSize, 3, size, size]));
            for (var i = 0; i < heads.Count; i++)
            {
                outputs[i] = GC.AllocateArray<float>(batchSize * heads[i].OutputCount, pinned: true);
                long[] shape = _model.OutputRanks[i] == 1 ? [batchSize] : [batchSize, heads[i].OutputCount];
                binding.Outputs.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, outputs[i].AsMemory(), shape));
            }
        }
        catch
        {
            binding.Dispose();
            throw;
        }

        _outputs[batchSize] = outputs;
        return binding;
    }

    private sealed class Binding : IDisposable
    {
        public List<OrtValue> Inputs { get; } = [];

        public List<OrtValue> Outputs { get; } = [];

        public void Dispose()
        {
            foreach (var value in Inputs.Concat(Outputs))
            {
                value.Dispose();
            }
        }
    }
}
