using Face2Data.Detection;
using Face2Data.IO;

namespace Face2Data.Onnx.Converters;

/// <summary>
/// Turns the weights of face-api.js's Tiny Face Detector (a TensorFlow.js weights manifest and its <c>.bin</c>
/// shard, MIT-licensed, published on npm in <c>@vladmandic/face-api</c> as
/// <c>model/tiny_face_detector_model-weights_manifest.json</c>) into the ONNX file <see cref="TinyFaceDetector"/> runs.
/// </summary>
/// <remarks>
/// The network is a Tiny-YOLOv2 with depthwise-separable convolutions: a 3×3 convolution without padding, five
/// separable 3×3 blocks each followed by a 2×2 max pool (the last one with stride 1), and a 1×1 convolution to five
/// anchors × (x, y, w, h, score) per 32-pixel cell; leaky ReLU (0.1) after every block. TensorFlow's "same" pooling
/// pads at the end, which is ONNX's <c>SAME_UPPER</c>. The graph takes RGB pixels (0–255) as float [N, 3, H, W] with
/// H and W multiples of 32 and subtracts the network's mean colour and divides by 255 itself, so callers pass plain
/// pixels. The output <c>grid</c> is [N, 25, H/32, W/32], channel = anchor × 5 + field.
/// </remarks>
public static class TinyFaceDetectorConverter
{
    private const float LeakyAlpha = 0.1f;

    private const string ModelName = "the Tiny Face Detector";

    // The per-channel mean the network was trained with (face-api.js tinyFaceDetector/const.ts).
    private static readonly float[] MeanRgb = [117.001f, 114.697f, 97.404f];

    private static readonly string[] SeparableBlocks = ["conv1", "conv2", "conv3", "conv4", "conv5"];

    /// <summary>Reads the manifest and its shard and writes the ONNX model (atomically), after ONNX Runtime accepted it.</summary>
    /// <param name="manifestPath">Path of <c>tiny_face_detector_model-weights_manifest.json</c>; its shard is looked up beside it.</param>
    /// <param name="outputPath">Where to write the ONNX file.</param>
    /// <exception cref="FileNotFoundException">The manifest or its shard is missing.</exception>
    /// <exception cref="InvalidDataException">The files are not the Tiny Face Detector's weights.</exception>
    public static void Convert(string manifestPath, string outputPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        var weights = TfjsWeights.Read(manifestPath);
        var bytes = Build(weights);
        Verify(bytes);
        AtomicFile.Write(outputPath, stream => stream.Write(bytes));
    }

    /// <summary>Builds the ONNX model file from the weights (see the class remarks for its input and output).</summary>
    internal static byte[] Build(IReadOnlyDictionary<string, TfWeight> weights)
    {
        var graph = new OnnxGraphBuilder("tiny_face_detector");
        var height = OnnxDimension.Dynamic("H");
        var width = OnnxDimension.Dynamic("W");
        var batch = OnnxDimension.Dynamic("N");
        graph.Reserve(TinyFaceDetector.OutputName);
        var input = graph.AddInput(TinyFaceDetector.InputName, [batch, OnnxDimension.Fixed(3), height, width]);

        var centred = graph.Node("Sub", [input, graph.AddInitializer("mean_rgb", MeanRgb, 1, 3, 1, 1)]);
        var x = graph.Mul(centred, graph.AddInitializer("inv_255", [1f / 255f], 1));

        x = graph.LeakyRelu(Conv(graph, x, TfjsWeights.Need(weights, ModelName, "conv0/filters", 4), TfjsWeights.Need(weights, ModelName, "conv0/bias", 1), pad: 0), LeakyAlpha);
        x = MaxPool(graph, x, stride: 2);
        for (var i = 0; i < SeparableBlocks.Length; i++)
        {
            x = SeparableBlock(graph, x, weights, SeparableBlocks[i]);
            x = MaxPool(graph, x, stride: i == SeparableBlocks.Length - 1 ? 1 : 2);
        }

        // The larger variants have two more blocks before the output; the Tiny Face Detector has none.
        foreach (var extra in new[] { "conv6", "conv7" })
        {
            if (weights.ContainsKey($"{extra}/depthwise_filter"))
            {
                x = SeparableBlock(graph, x, weights, extra);
            }
        }

        var output = TfjsWeights.Need(weights, ModelName, "conv8/filters", 4);
        var outputs = output.Shape[3];
        if (outputs != TinyFaceDetector.Anchors.Count * TinyFaceDetector.FieldsPerAnchor)
        {
            throw new InvalidDataException($"The output layer has {outputs} channels; the Tiny Face Detector has {TinyFaceDetector.Anchors.Count * TinyFaceDetector.FieldsPerAnchor} (5 anchors × x, y, w, h, score).");
        }

        graph.Identity(Conv(graph, x, output, TfjsWeights.Need(weights, ModelName, "conv8/bias", 1), pad: 0), TinyFaceDetector.OutputName);
        graph.AddOutput(TinyFaceDetector.OutputName, [batch, OnnxDimension.Fixed(outputs), OnnxDimension.Dynamic("cells_y"), OnnxDimension.Dynamic("cells_x")]);
        return graph.ToModelBytes(new Dictionary<string, string>
        {
            ["source"] = "face-api.js Tiny Face Detector (MIT), converted by face2data detector convert",
        });
    }

    private static string SeparableBlock(OnnxGraphBuilder graph, string x, IReadOnlyDictionary<string, TfWeight> weights, string name)
    {
        var depthwise = TfjsWeights.Need(weights, ModelName, $"{name}/depthwise_filter", 4);
        var pointwise = TfjsWeights.Need(weights, ModelName, $"{name}/pointwise_filter", 4);
        var bias = TfjsWeights.Need(weights, ModelName, $"{name}/bias", 1);
        var channels = depthwise.Shape[2];
        if (depthwise.Shape[3] != 1 || pointwise.Shape[2] != channels)
        {
            throw new InvalidDataException($"'{name}' is not a depthwise-separable block of {channels} channels.");
        }

        // TensorFlow depthwise [kh, kw, in, 1] → ONNX grouped [in, 1, kh, kw].
        var dw = graph.AddInitializer($"{name}_depthwise", TfjsWeights.ToOnnxConvWeight(depthwise), channels, 1, depthwise.Shape[0], depthwise.Shape[1]);
        x = graph.Conv(x, dw, null, [depthwise.Shape[0], depthwise.Shape[1]], [1, 1], [1, 1, 1, 1], [1, 1], group: channels);
        x = Conv(graph, x, pointwise, bias, pad: 0);
        return graph.LeakyRelu(x, LeakyAlpha);
    }

    private static string Conv(OnnxGraphBuilder graph, string x, TfWeight filters, TfWeight bias, int pad)
    {
        var (kh, kw, cin, cout) = (filters.Shape[0], filters.Shape[1], filters.Shape[2], filters.Shape[3]);
        if (bias.Shape[0] != cout)
        {
            throw new InvalidDataException($"'{bias.Name}' has {bias.Shape[0]} values for {cout} filters.");
        }

        var w = graph.AddInitializer(filters.Name, TfjsWeights.ToOnnxConvWeight(filters), cout, cin, kh, kw);
        var b = graph.AddInitializer(bias.Name, bias.Values, cout);
        return graph.Conv(x, w, b, [kh, kw], [1, 1], [pad, pad, pad, pad], [1, 1]);
    }

    private static string MaxPool(OnnxGraphBuilder graph, string x, int stride) =>
        graph.Node("MaxPool", [x],
        [
            OnnxAttribute.Ints("kernel_shape", 2, 2),
            OnnxAttribute.Ints("strides", stride, stride),
            OnnxAttribute.String("auto_pad", "SAME_UPPER"),
        ]);

    // ONNX Runtime must load the graph and produce 25 channels of 13×13 cells for a 416×416 image.
    private static void Verify(byte[] bytes)
    {
        var shape = ConvertedGraph.OutputShapes(bytes, TinyFaceDetector.InputName, [1, 3, 416, 416], [TinyFaceDetector.OutputName])[0];
        if (shape is not [1, 25, 13, 13])
        {
            throw new InvalidOperationException($"The converted graph gives shape [{string.Join(", ", shape)}] for a 416×416 image; expected [1, 25, 13, 13].");
        }
    }
}
