using Face2Data.IO;

namespace Face2Data.Onnx.Converters;

/// <summary>Settings of <see cref="TfjsGraphConverter"/>.</summary>
public sealed record TfjsGraphConverterOptions
{
    /// <summary>
    /// The graph input's pixels are multiplied by this, then <see cref="InputOffset"/> is added, before the network:
    /// 1/127.5 and −1 map 0…255 to MediaPipe's [−1, 1]. The defaults (1 and 0) feed the input unchanged.
    /// </summary>
    public float InputScale { get; init; } = 1f;

    /// <summary>Added to the input after <see cref="InputScale"/>.</summary>
    public float InputOffset { get; init; }

    /// <summary>Reverse the input's channels (RGB → BGR) before the network, after the scale and offset.</summary>
    public bool ReverseChannels { get; init; }

    /// <summary>
    /// For a network trained on grayscale faces (a one-channel placeholder): the ONNX input takes three channels (RGB,
    /// as every Face2Data model) and the network gets their sum weighted by these three values, after the scale and
    /// offset. Null: the input has the placeholder's channels.
    /// </summary>
    public IReadOnlyList<float>? GrayscaleWeights { get; init; }

    /// <summary>Name of the ONNX input; by default the placeholder's.</summary>
    public string? InputName { get; init; }

    /// <summary>Text written into the model's <c>source</c> metadata (where the model came from, its licence).</summary>
    public string? Source { get; init; }
}

/// <summary>
/// Converts a TensorFlow.js graph model (model.json and its weight shards) into an ONNX graph (opset 17) that ONNX
/// Runtime runs, operator by operator, with no TensorFlow in the loop.
/// </summary>
/// <remarks>
/// <para>TensorFlow's images are NHWC; ONNX's convolutions are NCHW. The graph input (a rank-4 placeholder) becomes an
/// NCHW input of the same name, [N, C, H, W], with the placeholder's sizes (−1 a dynamic dimension); every rank-4
/// value stays NCHW through convolutions, pools, pads, element-wise operators, concatenation, resizing and
/// depth-to-space, with the weights transposed once at conversion. Where NHWC order is observable (Reshape, Shape,
/// StridedSlice, Pack, a concatenation mixing layouts) the value is transposed back to NHWC first, so the outputs
/// are exactly TensorFlow's, in TensorFlow's layout (a rank-4 output is transposed to NHWC).</para>
/// <para>Supported operators: Const, Placeholder, Identity, Conv2D, _FusedConv2D and FusedDepthwiseConv2dNative (with
/// BiasAdd and Relu, Relu6, Elu, LeakyRelu, Prelu or Sigmoid fused), DepthwiseConv2dNative, BiasAdd, Add, AddV2, Sub,
/// Mul, RealDiv, Maximum, Minimum, Relu, Relu6, Elu, LeakyRelu, Prelu, Sigmoid, Tanh, MaxPool, AvgPool, Pad, PadV2,
/// Reshape, Shape, StridedSlice, Pack, ConcatV2, ResizeBilinear, ResizeNearestNeighbor, DepthToSpace, Max and Mean (over
/// constant axes), MatMul and _FusedMatMul (rank 2, with BiasAdd and an activation fused), Softmax. Any other
/// operator is refused with its name and the node's.</para>
/// </remarks>
public static class TfjsGraphConverter
{
    /// <summary>Operators the converter translates.</summary>
    public static IReadOnlySet<string> SupportedOperators { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Const", "Placeholder", "Identity", "Conv2D", "_FusedConv2D", "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative",
        "BiasAdd", "Add", "AddV2", "Sub", "Mul", "RealDiv", "Maximum", "Minimum", "Relu", "Relu6", "Elu", "LeakyRelu", "Prelu",
        "Sigmoid", "Tanh", "MaxPool", "AvgPool", "Pad", "PadV2", "Reshape", "Shape", "StridedSlice", "Pack", "ConcatV2",
        "ResizeBilinear", "ResizeNearestNeighbor", "DepthToSpace", "Max", "Mean", "MatMul", "_FusedMatMul", "Softmax",
    };

    /// <summary>Reads the model, converts it and writes the ONNX file (atomically) after ONNX Runtime loaded and ran it once.</summary>
    /// <exception cref="FileNotFoundException">model.json or a shard is missing.</exception>
    /// <exception cref="InvalidDataException">Not a graph model, or it uses an operator or attribute not supported (named in the message).</exception>
    public static void Convert(string modelJsonPath, string outputPath, TfjsGraphConverterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        var bytes = Build(TfjsGraphModel.Load(modelJsonPath), options ?? new TfjsGraphConverterOptions());
        Verify(bytes);
        AtomicFile.Write(outputPath, stream => stream.Write(bytes));
    }

    /// <summary>The ONNX model file for <paramref name="model"/>.</summary>
    public static byte[] Build(TfjsGraphModel model, TfjsGraphConverterOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var graph = new OnnxGraphBuilder("tfjs_graph");
        var translator = new TfjsGraphTranslator(graph, model, options);
        translator.Translate();
        var metadata = new Dictionary<string, string>
        {
            ["converter"] = "face2data TfjsGraphConverter (TensorFlow.js graph model → ONNX)",
            ["input_scale"] = options.InputScale.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["input_offset"] = options.InputOffset.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (options.Source is { } source)
        {
            metadata["source"] = source;
        }

        return graph.ToModelBytes(metadata);
    }

    // ONNX Runtime must load the graph and run it on zeros (dynamic dimensions set to 1, or 64 for a spatial one).
    private static void Verify(byte[] bytes)
    {
        var (input, dims) = ConvertedGraph.FirstInput(bytes);
        ConvertedGraph.OutputShapes(bytes, input, dims, []);
    }
}
