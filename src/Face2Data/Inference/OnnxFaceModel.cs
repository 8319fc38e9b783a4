using Face2Data.Schema;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Face2Data.Inference;

/// <summary>
/// An exported face attribute model running on ONNX Runtime: one long-lived session, checked at load against the
/// manifest in the file's metadata. <see cref="Predict"/> may be called from several threads at once.
/// </summary>
public sealed class OnnxFaceModel : IDisposable
{
    private readonly SessionOptions _sessionOptions;
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly int[] _outputRanks;
    private readonly long _fixedBatch;

    private OnnxFaceModel(Func<SessionOptions, InferenceSession> open, string source, OnnxFaceModelOptions? options)
    {
        options ??= OnnxFaceModelOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegative(options.IntraOpThreads);
        _sessionOptions = new SessionOptions { IntraOpNumThreads = options.IntraOpThreads };
        try
        {
            try
            {
                _session = open(_sessionOptions);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new InvalidDataException($"{source} is not a valid ONNX model: {ex.Message}", ex);
            }

            try
            {
                Manifest = ModelManifest.FromMetadata(_session.ModelMetadata.CustomMetadataMap);
                (_inputNames, _fixedBatch) = CheckInput(_session, Manifest.Preprocessing.Size);
                (_outputNames, _outputRanks) = CheckOutputs(_session, Manifest.Schema);
            }
            catch (FormatException ex)
            {
                throw new InvalidDataException($"{source} is not a usable face2data model: {ex.Message}", ex);
            }
        }
        catch
        {
            _session?.Dispose();
            _sessionOptions.Dispose();
            throw;
        }
    }

    /// <summary>What the model predicts and how its input is prepared.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The model's heads (<see cref="ModelManifest.Schema"/>).</summary>
    public AttributeSchema Schema => Manifest.Schema;

    /// <summary>Side of the square input image, in pixels.</summary>
    public int InputSize => Manifest.Preprocessing.Size;

    /// <summary>
    /// The batch size the graph's input is fixed to, or null when its batch dimension is dynamic (as in every model
    /// face2data exports): <see cref="Predict"/> then takes any number of images at once.
    /// </summary>
    public int? FixedBatchSize => _fixedBatch > 0 ? (int)_fixedBatch : null;

    internal InferenceSession Session => _session;

    internal string[] InputNames => _inputNames;

    internal string[] OutputNames => _outputNames;

    /// <summary>Rank (1 or 2) of each head's output, schema order.</summary>
    internal int[] OutputRanks => _outputRanks;

    /// <summary>The batch size the model was exported with, or 0 when it takes any.</summary>
    internal long FixedBatch => _fixedBatch;

    /// <summary>Loads a model file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not ONNX, or not a face2data model matching its manifest.</exception>
    public static OnnxFaceModel Load(string path, OnnxFaceModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        }

        return new OnnxFaceModel(o => new InferenceSession(path, o), $"'{path}'", options);
    }

    /// <summary>Loads a model from its bytes.</summary>
    /// <exception cref="InvalidDataException">The bytes are not ONNX, or not a face2data model matching its manifest.</exception>
    public static OnnxFaceModel Load(byte[] model, OnnxFaceModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new OnnxFaceModel(o => new InferenceSession(model, o), "The model data", options);
    }

    /// <summary>Loads a model from a stream (read to its end).</summary>
    /// <exception cref="InvalidDataException">The data is not ONNX, or not a face2data model matching its manifest.</exception>
    public static OnnxFaceModel Load(Stream stream, OnnxFaceModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Load(buffer.ToArray(), options);
    }

    /// <summary>
    /// Runs the model on <paramref name="batchSize"/> normalized CHW images laid end to end
    /// (see <see cref="Imaging.ImagePreprocessing.Normalize"/>).
    /// </summary>
    public HeadOutputs Predict(ReadOnlySpan<float> batchChw, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var size = InputSize;
        var imageLength = 3L * size * size;
        if (batchChw.Length != batchSize * imageLength)
        {
            throw new ArgumentException($"Expected {batchSize} × 3 × {size} × {size} = {batchSize * imageLength} floats, got {batchChw.Length}.", nameof(batchChw));
        }

        if (_fixedBatch > 0 && batchSize != _fixedBatch)
        {
            throw new ArgumentException($"This model takes batches of exactly {_fixedBatch} images.", nameof(batchSize));
        }

        var values = new float[Schema.Heads.Count][];
        unsafe
        {
            // The input wraps the caller's memory without a copy; it is only used while pinned here.
            fixed (float* data = batchChw)
            {
                using var input = OrtValue.CreateTensorValueWithData(
                    OrtMemoryInfo.DefaultInstance, TensorElementType.Float, [batchSize, 3, size, size], (IntPtr)data, (long)batchChw.Length * sizeof(float));
                using var runOptions = new RunOptions();
                using var outputs = _session.Run(runOptions, _inputNames, [input], _outputNames);
                var i = 0;
                foreach (var output in outputs)
                {
                    values[i] = ReadHead(output, Schema.Heads[i], batchSize);
                    i++;
                }
            }
        }

        return new HeadOutputs(Schema, batchSize, values);
    }

    /// <summary>
    /// A runner with its own reusable input and output tensors for batches of up to <paramref name="maxBatchSize"/>
    /// images, for a caller that runs the model often from one thread (see <see cref="OnnxBatchRunner"/>). Dispose it
    /// before the model.
    /// </summary>
    public OnnxBatchRunner CreateRunner(int maxBatchSize) => new(this, maxBatchSize);

    /// <inheritdoc />
    public void Dispose()
    {
        _session.Dispose();
        _sessionOptions.Dispose();
    }

    private static float[] ReadHead(OrtValue output, AttributeHead head, int batchSize)
    {
        var shape = output.GetTensorTypeAndShape();
        var dims = shape.Shape;
        var expected = (long)batchSize * head.OutputCount;
        if (shape.ElementDataType != TensorElementType.Float || dims.Length is < 1 or > 2 || dims[0] != batchSize || shape.ElementCount != expected)
        {
            throw new InvalidDataException($"Output '{head.Name}' has shape [{string.Join(", ", dims)}] ({shape.ElementDataType}); expected float [{batchSize}, {head.OutputCount}].");
        }

        return output.GetTensorDataAsSpan<float>().ToArray();
    }

    private static (string[] Names, long FixedBatch) CheckInput(InferenceSession session, int size)
    {
        if (session.InputMetadata.Count != 1)
        {
            throw new FormatException($"Expected one input, found {session.InputMetadata.Count}: {string.Join(", ", session.InputMetadata.Keys)}.");
        }

        var (name, input) = session.InputMetadata.First();
        var dims = input.Dimensions;
        if (!input.IsTensor || input.ElementDataType != TensorElementType.Float || dims.Length != 4
            || !Fits(dims[1], 3) || !Fits(dims[2], size) || !Fits(dims[3], size))
        {
            throw new FormatException($"Input '{name}' is [{string.Join(", ", dims)}]; the manifest needs float [N, 3, {size}, {size}].");
        }

        return ([name], dims[0] > 0 ? dims[0] : 0);
    }

    private static (string[] Names, int[] Ranks) CheckOutputs(InferenceSession session, AttributeSchema schema)
    {
        foreach (var head in schema.Heads)
        {
            if (!session.OutputMetadata.TryGetValue(head.Name, out var output))
            {
                throw new FormatException($"The model has no output for head '{head.Name}'. Outputs: {string.Join(", ", session.OutputMetadata.Keys)}.");
            }

            var dims = output.Dimensions;
            var fits = dims.Length switch
            {
                1 => head.OutputCount == 1,
                2 => Fits(dims[1], head.OutputCount),
                _ => false,
            };
            if (!output.IsTensor || output.ElementDataType != TensorElementType.Float || !fits)
            {
                throw new FormatException($"Output '{head.Name}' is [{string.Join(", ", dims)}]; the schema needs float [N, {head.OutputCount}].");
            }
        }

        return (schema.Heads.Select(h => h.Name).ToArray(), schema.Heads.Select(h => session.OutputMetadata[h.Name].Dimensions.Length).ToArray());
    }

    // ONNX Runtime reports a dynamic dimension as -1.
    private static bool Fits(int dimension, int expected) => dimension < 0 || dimension == expected;
}
