using Face2Data.Detection;
using Face2Data.IO;

namespace Face2Data.Onnx.Converters;

/// <summary>
/// Turns the weights of face-api.js's 68-point face landmark network (a TensorFlow.js weights manifest and its
/// <c>.bin</c> shard, MIT-licensed, published on npm in <c>@vladmandic/face-api</c> as
/// <c>model/face_landmark_68_model-weights_manifest.json</c>, or the smaller <c>face_landmark_68_tiny_model</c>) into
/// the ONNX file <see cref="FaceLandmark68Landmarker"/> runs.
/// </summary>
/// <remarks>
/// The network (face-api.js faceFeatureExtractor and faceLandmarkNet) takes a 112×112 face, subtracts a mean colour
/// and divides by 255, then runs dense blocks: each starts with a stride-2 3×3 convolution (a plain one in the first
/// block, depthwise-separable after) whose ReLU output is out₁, then depthwise-separable 3×3 convolutions, the k-th
/// applied to ReLU(out₁ + … + outₖ₋₁), and ends with ReLU of the sum of all outputs. The full model has four blocks
/// of four convolutions (32, 64, 128, 256 channels), the tiny one three blocks of three (32, 64, 128). An average
/// pool over the last map (7×7 or 14×14) and a fully connected layer give 136 values: (x, y) of the 68 points as
/// fractions of the input square. TensorFlow's "same" padding with stride 2 on an even side pads only the end,
/// which the graph spells out. The graph takes RGB pixels (0–255) as float [N, 3, 112, 112].
/// </remarks>
public static class FaceLandmark68Converter
{
    // The per-channel mean the network was trained with (face-api.js faceFeatureExtractor/FaceFeatureExtractor.ts).
    private static readonly float[] MeanRgb = [122.782f, 117.001f, 104.298f];

    /// <summary>Reads the manifest and its shard and writes the ONNX model (atomically), after ONNX Runtime accepted it.</summary>
    /// <param name="manifestPath">Path of <c>face_landmark_68_model-weights_manifest.json</c> (or the tiny model's); its shard is looked up beside it.</param>
    /// <param name="outputPath">Where to write the ONNX file.</param>
    /// <exception cref="FileNotFoundException">The manifest or its shard is missing.</exception>
    /// <exception cref="InvalidDataException">The files are not a 68-point landmark network's weights.</exception>
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
        var blocks = 0;
        while (weights.ContainsKey($"dense{blocks}/conv0/bias"))
        {
            blocks++;
        }

        var convolutions = 0;
        while (weights.ContainsKey($"dense0/conv{convolutions}/bias"))
        {
            convolutions++;
        }

        if (blocks < 1 || convolutions < 2)
        {
            throw new InvalidDataException("The weights have no dense blocks (dense0/conv0, dense0/conv1, …): not a face-api.js landmark network's manifest?");
        }

        var graph = new OnnxGraphBuilder("face_landmark_68");
        var batch = OnnxDimension.Dynamic("N");
        long side = FaceLandmark68Landmarker.InputSize;
        graph.Reserve(FaceLandmark68Landmarker.OutputName);
        var input = graph.AddInput(FaceLandmark68Landmarker.InputName, [batch, OnnxDimension.Fixed(3), OnnxDimension.Fixed(side), OnnxDimension.Fixed(side)]);

        var centred = graph.Node("Sub", [input, graph.AddInitializer("mean_rgb", MeanRgb, 1, 3, 1, 1)]);
        var x = graph.Mul(centred, graph.AddInitializer("inv_255", [1f / 255f], 1));
        for (var block = 0; block < blocks; block++)
        {
            x = DenseBlock(graph, x, weights, $"dense{block}", convolutions, ref side);
        }

        // avgPool([k, k], [2, 2], 'valid') over the k×k map the blocks leave: one value per channel.
        x = graph.AveragePool(x, [side, side], [2, 2], [0, 0, 0, 0]);
        x = graph.Flatten(x);

        var fc = Need(weights, "fc/weights", 2);
        var fcBias = Need(weights, "fc/bias", 1);
        var outputs = fc.Shape[1];
        if (outputs != 2 * FaceLandmark68Landmarker.PointCount || fcBias.Shape[0] != outputs)
        {
            throw new InvalidDataException($"The output layer has {outputs} values; the 68-point network has {2 * FaceLandmark68Landmarker.PointCount} (x, y of 68 points).");
        }

        // TensorFlow's matMul(x, W) with W [in, out]: Gemm without transposing B.
        var w = graph.AddInitializer("fc_weights", fc.Values, fc.Shape[0], fc.Shape[1]);
        var b = graph.AddInitializer("fc_bias", fcBias.Values, outputs);
        graph.Identity(graph.Gemm(x, w, b, transB: false), FaceLandmark68Landmarker.OutputName);
        graph.AddOutput(FaceLandmark68Landmarker.OutputName, [batch, OnnxDimension.Fixed(outputs)]);
        return graph.ToModelBytes(new Dictionary<string, string>
        {
            ["source"] = $"face-api.js 68-point face landmark network ({blocks} dense blocks of {convolutions}, MIT), converted by face2data detector convert-landmarks",
        });
    }

    // out₁ = ReLU(first conv, stride 2); outₖ = separable conv of ReLU(out₁ + … + outₖ₋₁); result ReLU(Σ outₖ).
    private static string DenseBlock(OnnxGraphBuilder graph, string x, IReadOnlyDictionary<string, TfWeight> weights, string name, int convolutions, ref long side)
    {
        var first = $"{name}/conv0";
        var pads = SamePadsStride2(side);
        var head = weights.ContainsKey($"{first}/filters")
            ? Conv(graph, x, Need(weights, $"{first}/filters", 4), Need(weights, $"{first}/bias", 1), [2, 2], pads)
            : Separable(graph, x, weights, first, [2, 2], pads);
        side = (side + 1) / 2;
        var sum = graph.Relu(head);
        var input = sum;
        for (var k = 1; k < convolutions; k++)
        {
            var output = Separable(graph, input, weights, $"{name}/conv{k}", [1, 1], [1, 1, 1, 1]);
            sum = graph.Add(sum, output);
            input = graph.Relu(sum);
        }

        return input;
    }

    // TensorFlow's "same" padding of a 3×3 window with stride 2: (out − 1) × 2 + 3 − in pixels, the odd one at the end.
    private static long[] SamePadsStride2(long side)
    {
        var total = Math.Max(((((side + 1) / 2) - 1) * 2) + 3 - side, 0);
        var begin = total / 2;
        return [begin, begin, total - begin, total - begin];
    }

    private static string Separable(OnnxGraphBuilder graph, string x, IReadOnlyDictionary<string, TfWeight> weights, string name, long[] strides, long[] pads)
    {
        var depthwise = Need(weights, $"{name}/depthwise_filter", 4);
        var pointwise = Need(weights, $"{name}/pointwise_filter", 4);
        var bias = Need(weights, $"{name}/bias", 1);
        var channels = depthwise.Shape[2];
        if (depthwise.Shape[3] != 1 || pointwise.Shape[2] != channels)
        {
            throw new InvalidDataException($"'{name}' is not a depthwise-separable convolution of {channels} channels.");
        }

        // TensorFlow depthwise [kh, kw, in, 1] → ONNX grouped [in, 1, kh, kw].
        var dw = graph.AddInitializer($"{name}_depthwise", TfjsWeights.ToOnnxConvWeight(depthwise), channels, 1, depthwise.Shape[0], depthwise.Shape[1]);
        x = graph.Conv(x, dw, null, [depthwise.Shape[0], depthwise.Shape[1]], strides, pads, [1, 1], group: channels);
        return Conv(graph, x, pointwise, bias, [1, 1], [0, 0, 0, 0]);
    }

    private static string Conv(OnnxGraphBuilder graph, string x, TfWeight filters, TfWeight bias, long[] strides, long[] pads)
    {
        var (kh, kw, cin, cout) = (filters.Shape[0], filters.Shape[1], filters.Shape[2], filters.Shape[3]);
        if (bias.Shape[0] != cout)
        {
            throw new InvalidDataException($"'{bias.Name}' has {bias.Shape[0]} values for {cout} filters.");
        }

        var w = graph.AddInitializer(filters.Name, TfjsWeights.ToOnnxConvWeight(filters), cout, cin, kh, kw);
        var b = graph.AddInitializer(bias.Name, bias.Values, cout);
        return graph.Conv(x, w, b, [kh, kw], strides, pads, [1, 1]);
    }

    private static TfWeight Need(IReadOnlyDictionary<string, TfWeight> weights, string name, int rank)
    {
        if (!weights.TryGetValue(name, out var weight))
        {
            throw new InvalidDataException($"The weights have no '{name}': not a face-api.js 68-point landmark network's manifest?");
        }

        if (weight.Shape.Length != rank)
        {
            throw new InvalidDataException($"'{name}' has shape [{string.Join(", ", weight.Shape)}]; expected {rank} dimensions.");
        }

        return weight;
    }

    // ONNX Runtime must load the graph and produce 136 values for one 112×112 face.
    private static void Verify(byte[] bytes)
    {
        var side = FaceLandmark68Landmarker.InputSize;
        var shape = ConvertedGraph.OutputShapes(bytes, FaceLandmark68Landmarker.InputName, [1, 3, side, side], [FaceLandmark68Landmarker.OutputName])[0];
        if (shape is not [1, 136])
        {
            throw new InvalidOperationException($"The converted graph gives shape [{string.Join(", ", shape)}] for one face; expected [1, 136].");
        }
    }
}
