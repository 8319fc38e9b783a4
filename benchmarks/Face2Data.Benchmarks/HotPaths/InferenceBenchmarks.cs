using BenchmarkDotNet.Attributes;
using Face2Data.Inference;

namespace Face2Data.Benchmarks.HotPaths;

/// <summary>
/// ONNX Runtime on the bundled model (f2d, 64 px) at batch 1, 8 and 32: <see cref="OnnxFaceModel.Predict"/>, which
/// wraps the caller's array and lets ONNX Runtime allocate the outputs on every call, against an
/// <see cref="OnnxBatchRunner"/>, whose tensors are made once.
/// </summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private OnnxFaceModel _model = null!;
    private OnnxBatchRunner _runner = null!;
    private float[] _input = null!;

    [Params(1, 8, 32)]
    public int Batch { get; set; }

    [Params(0, 1)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = OnnxFaceModel.Load(BundledModel.RequirePath(), new OnnxFaceModelOptions { IntraOpThreads = Threads });
        _runner = _model.CreateRunner(Batch);
        _input = new float[Batch * _model.Manifest.Preprocessing.TensorLength];
        var random = new Random(1);
        for (var i = 0; i < _input.Length; i++)
        {
            _input[i] = (float)(random.NextDouble() * 4 - 2);
        }

        _input.CopyTo(_runner.Input(Batch));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _runner.Dispose();
        _model.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Predict")]
    public HeadOutputs Predict() => _model.Predict(_input, Batch);

    [Benchmark(Description = "OnnxBatchRunner.Run")]
    public HeadOutputs Runner() => _runner.Run(Batch);
}
