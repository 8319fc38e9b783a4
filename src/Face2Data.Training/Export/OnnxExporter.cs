using Face2Data.Datasets;
using Face2Data.IO;
using Face2Data.Inference;
using Face2Data.Schema;
using Face2Data.Onnx;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Export;

/// <summary>
/// Writes a multi-head TorchSharp model as an ONNX file (opset 17, IR 8). The input is <c>image</c>, float
/// [N, 3, S, S]. There is one output per schema head, named like the head: class probabilities [N, classes]
/// (softmax of the logits) for a categorical head, the predicted value [N, 1] for a regression head. The file is
/// checked with ONNX Runtime before it is written.
/// </summary>
public static class OnnxExporter
{
    /// <summary>Name of the graph input.</summary>
    public const string InputName = "image";

    /// <summary>Name of the dynamic batch dimension.</summary>
    public const string BatchDimension = "N";

    /// <summary>ONNX operator set version the graph uses.</summary>
    public const int OpsetVersion = OnnxGraphBuilder.OpsetVersion;

    /// <summary>ONNX IR version of the file.</summary>
    public const int IrVersion = OnnxGraphBuilder.IrVersion;

    /// <summary>Written as the model's producer.</summary>
    public const string ProducerName = OnnxGraphBuilder.ProducerName;

    /// <summary>
    /// Exports the model with its manifest as metadata (schema and input size come from the manifest).
    /// <paramref name="weights"/> says how to store the weights that are not already a byte each
    /// (<see cref="OnnxGraphBuilder.CompactInitializers"/>); float16 halves their size and moves outputs by about 1e-3.
    /// </summary>
    public static void Export(nn.Module model, ModelManifest manifest, string path, WeightStorage weights = WeightStorage.Float32)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = BuildModel(model, manifest.Schema, manifest.Preprocessing.Size, manifest.ToMetadata(), manifest.TestTimeFlip, weights);
        Verify(bytes, manifest.Schema, manifest.Preprocessing.Size);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Exports the model to <paramref name="path"/> (written to a temporary file, then moved into place).</summary>
    /// <exception cref="NotSupportedException">A module has no ONNX translation.</exception>
    public static void Export(nn.Module model, AttributeSchema schema, int inputSize, IReadOnlyDictionary<string, string> metadata, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = ExportToBytes(model, schema, inputSize, metadata);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Writes the exported model to a stream.</summary>
    public static void ExportTo(nn.Module model, AttributeSchema schema, int inputSize, IReadOnlyDictionary<string, string> metadata, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ExportToBytes(model, schema, inputSize, metadata));
    }

    /// <summary>The exported model's bytes.</summary>
    public static byte[] ExportToBytes(nn.Module model, AttributeSchema schema, int inputSize, IReadOnlyDictionary<string, string> metadata)
    {
        var bytes = BuildModel(model, schema, inputSize, metadata);
        Verify(bytes, schema, inputSize);
        return bytes;
    }

    /// <param name="model">The trained model.</param>
    /// <param name="schema">Its heads.</param>
    /// <param name="inputSize">Input side in pixels.</param>
    /// <param name="metadata">Written as the model's metadata.</param>
    /// <param name="testTimeFlip">
    /// Run the network on the batch and its left-right mirror (one call, batch 2N) and average each head's output:
    /// probabilities for categorical heads, values for regression heads.
    /// </param>
    /// <param name="weights">How to store the weights that are not a byte each.</param>
    internal static byte[] BuildModel(nn.Module model, AttributeSchema schema, int inputSize, IReadOnlyDictionary<string, string> metadata, bool testTimeFlip = false, WeightStorage weights = WeightStorage.Float32)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        if (model is not IMultiHeadModel multiHead)
        {
            throw new ArgumentException($"{model.GetType().Name} does not implement {nameof(IMultiHeadModel)}, so its heads cannot be exported.", nameof(model));
        }

        if (schema.IndexOf(InputName) >= 0)
        {
            throw new ArgumentException($"A head may not be named '{InputName}', the input's name.", nameof(schema));
        }

        CheckManifest(metadata, schema, inputSize);

        var graph = new OnnxGraphBuilder(ProducerName);
        foreach (var head in schema.Heads)
        {
            graph.Reserve(head.Name);
        }

        var batch = OnnxDimension.Dynamic(BatchDimension);
        var image = graph.AddInput(InputName, [batch, OnnxDimension.Fixed(3), OnnxDimension.Fixed(inputSize), OnnxDimension.Fixed(inputSize)]);

        IReadOnlyList<string> headValues;
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            headValues = multiHead.AddHeadsTo(graph, testTimeFlip ? WithMirror(graph, image) : image);
        }
        finally
        {
            if (wasTraining)
            {
                model.train();
            }
        }

        if (headValues.Count != schema.Heads.Count)
        {
            throw new InvalidOperationException($"{model.GetType().Name} returned {headValues.Count} head values for a schema of {schema.Heads.Count} heads.");
        }

        for (var i = 0; i < schema.Heads.Count; i++)
        {
            var head = schema.Heads[i];
            var output = testTimeFlip ? null : head.Name;
            var value = head.Kind == HeadKind.Categorical
                ? graph.Softmax(headValues[i], axis: 1, output: output)
                : graph.Identity(headValues[i], output: output);
            if (testTimeFlip)
            {
                MeanOfHalves(graph, value, head.OutputCount, head.Name);
            }

            graph.AddOutput(head.Name, [batch, OnnxDimension.Fixed(head.OutputCount)]);
        }

        // Weights that kept their published uint8 levels (a frozen pretrained trunk) take a byte each.
        graph.CompactInitializers(storage: weights);
        return graph.ToModelBytes(metadata);
    }

    // [N, C, H, W] → [2N, C, H, W]: the images, then the same images mirrored left-right (Slice with step -1 on W).
    private static string WithMirror(OnnxGraphBuilder graph, string image)
    {
        var mirrored = graph.Node("Slice", [
            image,
            graph.AddInitializer("flip_starts", [-1L], 1),
            graph.AddInitializer("flip_ends", [long.MinValue], 1),
            graph.AddInitializer("flip_axes", [3L], 1),
            graph.AddInitializer("flip_steps", [-1L], 1),
        ]);
        return graph.Concat([image, mirrored], axis: 0);
    }

    // [2N, K] → [2, N, K] → mean over the first axis → [N, K]: each image's output averaged with its mirror's.
    private static void MeanOfHalves(OnnxGraphBuilder graph, string value, int width, string output)
    {
        var halves = graph.Reshape(value, 2, -1, width);
        graph.Node("ReduceMean", [halves], [OnnxAttribute.Ints("axes", [0]), OnnxAttribute.Int("keepdims", 0)], output);
    }

    // A face2data manifest in the metadata must describe the model being exported.
    private static void CheckManifest(IReadOnlyDictionary<string, string> metadata, AttributeSchema schema, int inputSize)
    {
        if (!metadata.Keys.Any(k => k.StartsWith(ModelManifest.KeyPrefix, StringComparison.Ordinal)))
        {
            return;
        }

        var manifest = ModelManifest.FromMetadata(metadata);
        if (!manifest.Schema.SameHeadsAs(schema))
        {
            throw new ArgumentException("The manifest's schema differs from the schema being exported.", nameof(metadata));
        }

        if (manifest.Preprocessing.Size != inputSize)
        {
            throw new ArgumentException($"The manifest's input size is {manifest.Preprocessing.Size}, the export's {inputSize}.", nameof(metadata));
        }
    }

    // Runs the exported graph once on a batch of two zero images: ONNX Runtime must accept the file and every head
    // must produce [2, output count], which catches a head whose layer is the wrong width.
    private static void Verify(byte[] bytes, AttributeSchema schema, int inputSize)
    {
        const int Batch = 2;
        try
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1 };
            using var session = new InferenceSession(bytes, options);
            var input = new float[Batch * 3 * inputSize * inputSize];
            using var value = OrtValue.CreateTensorValueFromMemory(input, [Batch, 3, inputSize, inputSize]);
            using var runOptions = new RunOptions();
            var names = schema.Heads.Select(h => h.Name).ToArray();
            using var outputs = session.Run(runOptions, [InputName], [value], names);
            var i = 0;
            foreach (var output in outputs)
            {
                var head = schema.Heads[i++];
                var shape = output.GetTensorTypeAndShape().Shape;
                if (shape is not [Batch, var width] || width != head.OutputCount)
                {
                    throw new InvalidOperationException($"Head '{head.Name}' needs {head.OutputCount} values per image, but the exported graph gives shape [{string.Join(", ", shape)}] for a batch of {Batch}.");
                }
            }
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidOperationException($"ONNX Runtime rejects the exported graph: {ex.Message}", ex);
        }
    }
}
