using Face2Data.Detection;
using Face2Data.Imaging;
using Face2Data.Inference;
using Face2Data.Schema;

namespace Face2Data.Onnx.Converters;

/// <summary>
/// Turns the weights of face-api.js's age and gender network (a TensorFlow.js weights manifest and its <c>.bin</c>
/// shard, MIT-licensed, published on npm in <c>@vladmandic/face-api</c> as
/// <c>model/age_gender_model-weights_manifest.json</c>) into a Face2Data attribute model: the ONNX file
/// <see cref="OnnxFaceModel"/> and <see cref="FaceAnalyzer"/> load like an exported one, with heads <c>age</c>
/// (years) and <c>gender</c> (male, female) and the <see cref="ModelManifest"/> in its metadata.
/// </summary>
/// <remarks>
/// <para>The network (face-api.js AgeGenderNet on a TinyXception with two main blocks) takes a 112×112 RGB face,
/// subtracts a mean colour and divides by 255; then a stride-2 3×3 convolution (32 channels) and ReLU; two
/// reduction blocks (64, 128 channels): [ReLU] → separable 3×3 → ReLU → separable 3×3 → 3×3 max pool with stride 2,
/// plus a stride-2 1×1 convolution of the block's input; two main blocks of three ReLU → separable 3×3 with a
/// residual; an exit reduction block (256) and ReLU(separable 3×3, 512 channels) on the 7×7 map; a 7×7 average pool;
/// and two fully connected layers: the age in years, and two gender logits (male first) that face-api.js turns into
/// probabilities with a softmax. TensorFlow's "same" padding with stride 2 on an even side pads only the end, which
/// the graph spells out.</para>
/// <para>face-api.js's normalisation, (pixel − mean) / 255, is Face2Data's preprocessing with mean = its mean / 255
/// and std 1, so the graph takes the usual normalised input <c>image</c> float [N, 3, 112, 112] and the manifest
/// says so. It resizes bilinearly (tf.image.resizeBilinear), hence <see cref="ResizeMethod.Linear"/>. It cuts the
/// detector's box and pads it to a square centred on the box (zeros on the shorter side) before resizing: the square
/// of side max(width, height) around the box's centre, which is <see cref="CropGeometry.Identity"/>, except that
/// Face2Data fills the square with the photo around the box rather than black.</para>
/// </remarks>
public static class AgeGenderConverter
{
    /// <summary>Side of the network's square input, in pixels.</summary>
    public const int InputSize = 112;

    /// <summary>Name of the graph input, as in every exported Face2Data model.</summary>
    public const string InputName = "image";

    private const string Model = "face-api.js's age and gender network";

    // The per-channel mean the network was trained with (face-api.js xception/TinyXception.ts).
    private static readonly float[] MeanRgb = [122.782f, 117.001f, 104.298f];


    /// <summary>The heads of the converted model: age in years (as the bundled model's, 0–116) and gender (male, female).</summary>
    public static AttributeSchema Schema { get; } = new(
    [
        AttributeHead.Regression("age", 0, 116, unit: "years"),
        AttributeHead.Categorical("gender", ["male", "female"]),
    ]);

    /// <summary>The manifest written into the converted file.</summary>
    public static ModelManifest Manifest { get; } = new()
    {
        Name = "face-api-age-gender",
        Version = "1.7.15",
        Architecture = "face-api.js AgeGenderNet (TinyXception, 2 main blocks, 112 px)",
        Schema = Schema,
        Preprocessing = new ImagePreprocessing
        {
            Size = InputSize,
            Resize = ResizeMethod.Linear,
            Mean = [MeanRgb[0] / 255f, MeanRgb[1] / 255f, MeanRgb[2] / 255f],
            Std = [1f, 1f, 1f],
        },
        Crop = CropGeometry.Identity,
        TrainingData = "face-api.js's own training (its TUTORIAL.md: UTK, FGNET, Chalearn, Wiki, IMDB (cleaned), CACD (cleaned), MegaAge, MegaAge-Asian, 80/20 train/test split each); weights from npm @vladmandic/face-api 1.7.15",
        License = "MIT (face-api.js, Copyright (c) 2018 Vincent Mühler; @vladmandic/face-api, Copyright (c) Vladimir Mandic); see models/THIRD-PARTY.md",
        CreatedUtc = ConvertedGraph.ReproducibleCreated,
    };

    /// <summary>Reads the manifest and its shard and writes the ONNX model (atomically), after ONNX Runtime accepted it.</summary>
    /// <param name="manifestPath">Path of <c>age_gender_model-weights_manifest.json</c>; its shard is looked up beside it.</param>
    /// <param name="outputPath">Where to write the ONNX file.</param>
    /// <exception cref="FileNotFoundException">The manifest or its shard is missing.</exception>
    /// <exception cref="InvalidDataException">The files are not the age and gender network's weights.</exception>
    public static void Convert(string manifestPath, string outputPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        var weights = TfjsWeights.Read(manifestPath);
        var bytes = Build(weights);
        ConvertedGraph.WriteAttributeModel(bytes, outputPath);
    }

    /// <summary>Builds the ONNX model file from the weights (see the class remarks for its input and outputs).</summary>
    internal static byte[] Build(IReadOnlyDictionary<string, TfWeight> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (!weights.ContainsKey("fc/age/weights") || !weights.ContainsKey("entry_flow/conv_in/filters"))
        {
            throw new InvalidDataException($"The weights have no 'entry_flow/conv_in' or 'fc/age': not {Model}'s manifest?");
        }

        var mainBlocks = 0;
        while (weights.ContainsKey($"middle_flow/main_block_{mainBlocks}/separable_conv0/bias"))
        {
            mainBlocks++;
        }

        var graph = new OnnxGraphBuilder("face_api_age_gender");
        foreach (var head in Schema.Heads)
        {
            graph.Reserve(head.Name);
        }

        var batch = OnnxDimension.Dynamic("N");
        long side = InputSize;
        var x = graph.AddInput(InputName, [batch, OnnxDimension.Fixed(3), OnnxDimension.Fixed(side), OnnxDimension.Fixed(side)]);

        x = graph.Relu(Conv(graph, x, weights, "entry_flow/conv_in", 2, ref side));
        x = ReductionBlock(graph, x, weights, "entry_flow/reduction_block_0", activateInput: false, ref side);
        x = ReductionBlock(graph, x, weights, "entry_flow/reduction_block_1", activateInput: true, ref side);
        for (var i = 0; i < mainBlocks; i++)
        {
            x = MainBlock(graph, x, weights, $"middle_flow/main_block_{i}");
        }

        x = ReductionBlock(graph, x, weights, "exit_flow/reduction_block", activateInput: true, ref side);
        x = graph.Relu(Separable(graph, x, weights, "exit_flow/separable_conv"));
        if (side != 7)
        {
            throw new InvalidDataException($"The feature map is {side}×{side} before the average pool; {Model} ends on 7×7.");
        }

        // avgPool([7, 7], [2, 2], 'valid') over the 7×7 map: one value per channel.
        x = graph.Flatten(graph.AveragePool(x, [side, side], [2, 2], [0, 0, 0, 0]));
        var age = Dense(graph, x, weights, "fc/age", 1);
        graph.Identity(age, "age");
        graph.Softmax(Dense(graph, x, weights, "fc/gender", 2), axis: 1, output: "gender");
        foreach (var head in Schema.Heads)
        {
            graph.AddOutput(head.Name, [batch, OnnxDimension.Fixed(head.OutputCount)]);
        }

        var metadata = Manifest.ToMetadata();
        metadata["source"] = $"{Model} (TinyXception with {mainBlocks} main blocks, MIT), converted by face2data detector convert-age-gender";
        return graph.ToModelBytes(metadata);
    }

    // [ReLU] → separable → ReLU → separable → max pool 3×3 stride 2, plus a stride-2 1×1 convolution of the input.
    private static string ReductionBlock(OnnxGraphBuilder graph, string x, IReadOnlyDictionary<string, TfWeight> weights, string name, bool activateInput, ref long side)
    {
        var output = Separable(graph, activateInput ? graph.Relu(x) : x, weights, $"{name}/separable_conv0");
        output = Separable(graph, graph.Relu(output), weights, $"{name}/separable_conv1");
        var inputSide = side;
        output = graph.MaxPool(output, [3, 3], [2, 2], SamePads(inputSide, 3, 2), [1, 1]);
        var expansion = Conv(graph, x, weights, $"{name}/expansion_conv", 2, ref side);
        return graph.Add(output, expansion);
    }

    // Three ReLU → separable convolutions and the block's input added back.
    private static string MainBlock(OnnxGraphBuilder graph, string x, IReadOnlyDictionary<string, TfWeight> weights, string name)
    {
        var output = x;
        for (var k = 0; k < 3; k++)
        {
            output = Separable(graph, graph.Relu(output), weights, $"{name}/separable_conv{k}");
        }

        return graph.Add(output, x);
    }

    // TensorFlow's "same" padding: (out − 1) × stride + kernel − in pixels, the odd one at the end.
    private static long[] SamePads(long side, long kernel, long stride)
    {
        var output = (side + stride - 1) / stride;
        var total = Math.Max(((output - 1) * stride) + kernel - side, 0);
        var begin = total / 2;
        return [begin, begin, total - begin, total - begin];
    }

    // A depthwise 3×3 and a pointwise 1×1 convolution with a bias, stride 1, "same" padding.
    private static string Separable(OnnxGraphBuilder graph, string x, IReadOnlyDictionary<string, TfWeight> weights, string name)
    {
        var depthwise = TfjsWeights.Need(weights, Model, $"{name}/depthwise_filter", 4);
        var pointwise = TfjsWeights.Need(weights, Model, $"{name}/pointwise_filter", 4);
        var bias = TfjsWeights.Need(weights, Model, $"{name}/bias", 1);
        var channels = depthwise.Shape[2];
        var (kh, kw) = (depthwise.Shape[0], depthwise.Shape[1]);
        if (depthwise.Shape[3] != 1 || pointwise.Shape[0] != 1 || pointwise.Shape[1] != 1 || pointwise.Shape[2] != channels || bias.Shape[0] != pointwise.Shape[3])
        {
            throw new InvalidDataException($"'{name}' is not a depthwise-separable convolution of {channels} channels.");
        }

        // TensorFlow depthwise [kh, kw, in, 1] → ONNX grouped [in, 1, kh, kw].
        var dw = TfjsWeights.AddConvWeight(graph, depthwise, channels, 1, kh, kw);
        x = graph.Conv(x, dw, null, [kh, kw], [1, 1], [(kh - 1) / 2, (kw - 1) / 2, kh / 2, kw / 2], [1, 1], group: channels);
        var cout = pointwise.Shape[3];
        var pw = TfjsWeights.AddConvWeight(graph, pointwise, cout, channels, 1, 1);
        return graph.Conv(x, pw, graph.AddInitializer(bias.Name, bias.Values, cout), [1, 1], [1, 1], [0, 0, 0, 0], [1, 1]);
    }

    // A plain convolution with a bias and "same" padding; updates the side for the stride.
    private static string Conv(OnnxGraphBuilder graph, string x, IReadOnlyDictionary<string, TfWeight> weights, string name, long stride, ref long side)
    {
        var filters = TfjsWeights.Need(weights, Model, $"{name}/filters", 4);
        var bias = TfjsWeights.Need(weights, Model, $"{name}/bias", 1);
        var (kh, kw, cin, cout) = (filters.Shape[0], filters.Shape[1], filters.Shape[2], filters.Shape[3]);
        if (bias.Shape[0] != cout || kh != kw)
        {
            throw new InvalidDataException($"'{name}' has {bias.Shape[0]} biases for {cout} filters of {kh}×{kw}.");
        }

        var w = TfjsWeights.AddConvWeight(graph, filters, cout, cin, kh, kw);
        var b = graph.AddInitializer(bias.Name, bias.Values, cout);
        var result = graph.Conv(x, w, b, [kh, kw], [stride, stride], SamePads(side, kh, stride), [1, 1]);
        side = (side + stride - 1) / stride;
        return result;
    }

    // TensorFlow's matMul(x, W) + b with W [in, out]: Gemm without transposing B.
    private static string Dense(OnnxGraphBuilder graph, string x, IReadOnlyDictionary<string, TfWeight> weights, string name, int outputs)
    {
        var w = TfjsWeights.Need(weights, Model, $"{name}/weights", 2);
        var b = TfjsWeights.Need(weights, Model, $"{name}/bias", 1);
        if (w.Shape[1] != outputs || b.Shape[0] != outputs)
        {
            throw new InvalidDataException($"'{name}' has {w.Shape[1]} outputs; {Model} has {outputs}.");
        }

        return graph.Gemm(x, graph.AddInitializer(w.Name, w.Values, w.Shape[0], w.Shape[1]), graph.AddInitializer(b.Name, b.Values, outputs), transB: false);
    }
}
