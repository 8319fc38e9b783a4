using Face2Data.Detection;
using Face2Data.IO;

namespace Face2Data.Onnx.Converters;

/// <summary>
/// Turns the weights of face-api.js's SSD MobileNet v1 face detector (a TensorFlow.js weights manifest and its
/// <c>.bin</c> shard, MIT-licensed, published on npm in <c>@vladmandic/face-api</c> as
/// <c>model/ssd_mobilenetv1_model-weights_manifest.json</c>) into the ONNX file <see cref="SsdFaceDetector"/> runs.
/// </summary>
/// <remarks>
/// The network is TensorFlow's object-detection SSD on MobileNet v1 with one class: a 3×3 convolution (stride 2) and
/// thirteen depthwise-separable blocks (depthwise 3×3 with batch normalisation, strides 2 at blocks 2, 4, 6 and 12,
/// then a 1×1 convolution), eight more convolutions (1×1, 3×3 stride 2, …) for the coarser maps, every layer followed
/// by ReLU6; six box predictors (1×1 convolutions) read block 11 (32×32 cells, 3 anchors each), block 13 (16×16) and
/// the four extra maps (8×8 … 1×1), 6 anchors each: 5,118 anchors in all, stored in the weights
/// (<c>Output/extra_dim</c>, normalised [ymin, xmin, ymax, xmax]). TensorFlow's "same" padding puts the odd pixel at
/// the end, so the strided convolutions pad [0, 0, 1, 1]. The graph takes RGB pixels (0–255) as float
/// [N, 3, 512, 512], scales them to −1…1 itself, and decodes the boxes as face-api.js does (centre offsets / 10 and
/// log sizes / 5, relative to the anchor): output <c>boxes</c> is [N, 5118, 4] as (x1, y1, x2, y2) in pixels of the
/// 512×512 input, <c>scores</c> [N, 5118] the sigmoid of the face class. Converted for another input side, the graph
/// takes [N, 3, side, side] and has as many anchors as its feature maps give.
/// </remarks>
public static class SsdFaceDetectorConverter
{
    private const string ModelName = "the SSD MobileNet v1 face detector";

    // TensorFlow's batch-norm epsilon in face-api.js's mobileNetV1.ts (0.001 as float32).
    private const float BatchNormEpsilon = 0.0010000000474974513f;

    // Blocks whose depthwise convolution has stride 2 (face-api.js mobileNetV1.ts).
    private static readonly int[] StridedBlocks = [2, 4, 6, 12];

    /// <summary>Reads the manifest and its shard and writes the ONNX model (atomically), after ONNX Runtime accepted it.</summary>
    /// <param name="manifestPath">Path of <c>ssd_mobilenetv1_model-weights_manifest.json</c>; its shard is looked up beside it.</param>
    /// <param name="outputPath">Where to write the ONNX file.</param>
    /// <param name="inputSize">
    /// The side of the graph's square input: 512 (face-api.js's) uses the anchors of the weights as they are; another
    /// side (a multiple of 32, 128 to 1024) lays the same anchor shapes on the feature maps of that side, as TensorFlow's
    /// grid anchor generator would. Experimental: at 384 the network is 1.7 times faster but its WIDER FACE precision and
    /// recall collapse, its box encodings being tied to the 512-pixel scale (models/README.md).
    /// </param>
    /// <exception cref="FileNotFoundException">The manifest or its shard is missing.</exception>
    /// <exception cref="InvalidDataException">The files are not the SSD MobileNet v1's weights.</exception>
    public static void Convert(string manifestPath, string outputPath, int inputSize = SsdFaceDetector.InputSize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        if (inputSize is < 128 or > 1024 || inputSize % 32 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "The input size must be a multiple of 32 from 128 to 1024.");
        }

        var weights = TfjsWeights.Read(manifestPath);
        var bytes = Build(weights, inputSize);
        Verify(bytes, inputSize);
        AtomicFile.Write(outputPath, stream => stream.Write(bytes));
    }

    /// <summary>Whether a manifest's weights are this network's (it has the anchors <c>Output/extra_dim</c>).</summary>
    public static bool IsSsdMobileNet(IReadOnlyDictionary<string, TfWeight> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return weights.ContainsKey("Output/extra_dim");
    }

    /// <summary>Builds the ONNX model file from the weights (see the class remarks for its input and outputs).</summary>
    internal static byte[] Build(IReadOnlyDictionary<string, TfWeight> weights, int side = SsdFaceDetector.InputSize)
    {
        var graph = new OnnxGraphBuilder("ssd_mobilenetv1");
        var batch = OnnxDimension.Dynamic("N");
        graph.Reserve(SsdFaceDetector.BoxesName);
        graph.Reserve(SsdFaceDetector.ScoresName);
        var input = graph.AddInput(SsdFaceDetector.InputName, [batch, OnnxDimension.Fixed(3), OnnxDimension.Fixed(side), OnnxDimension.Fixed(side)]);

        // face-api.js: x / 127.5 − 1.
        var x = graph.Add(graph.Mul(input, graph.AddInitializer("inv_127_5", [1f / 127.5f], 1)), graph.AddInitializer("minus_one", [-1f], 1));
        var feature = new Feature(x, side);

        feature = Pointwise(graph, weights, feature, "MobilenetV1/Conv2d_0_pointwise", stride: 2);
        Feature? block11 = null;
        for (var block = 1; block <= 13; block++)
        {
            feature = Depthwise(graph, weights, feature, $"MobilenetV1/Conv2d_{block}_depthwise", StridedBlocks.Contains(block) ? 2 : 1);
            feature = Pointwise(graph, weights, feature, $"MobilenetV1/Conv2d_{block}_pointwise", stride: 1);
            block11 = block == 11 ? feature : block11;
        }

        // The extra feature maps: 1×1 then 3×3 with stride 2, four times (face-api.js predictionLayer.ts).
        var maps = new List<Feature> { block11!.Value, feature };
        var extra = feature;
        for (var layer = 0; layer < 8; layer++)
        {
            extra = Pointwise(graph, weights, extra, $"Prediction/Conv2d_{layer}_pointwise", stride: layer % 2 == 0 ? 1 : 2);
            if (layer % 2 == 1)
            {
                maps.Add(extra);
            }
        }

        var encodings = new List<string>();
        var classes = new List<string>();
        var layers = new List<(int Grid, int Anchors)>();
        for (var i = 0; i < maps.Count; i++)
        {
            var prefix = $"Prediction/BoxPredictor_{i}";
            var box = Predictor(graph, weights, maps[i], $"{prefix}/BoxEncodingPredictor", 4, out var anchors);
            var cls = Predictor(graph, weights, maps[i], $"{prefix}/ClassPredictor", 3, out var classAnchors);
            if (classAnchors != anchors)
            {
                throw new InvalidDataException($"'{prefix}' predicts boxes for {anchors} anchors but classes for {classAnchors}.");
            }

            encodings.Add(box);
            classes.Add(cls);
            layers.Add((maps[i].Side, anchors));
        }

        var anchorWeight = TfjsWeights.Need(weights, ModelName, "Output/extra_dim", 3);
        var trained = Grids(SsdFaceDetector.InputSize, layers.Select(l => l.Anchors).ToList());
        var expected = trained.Sum(l => l.Grid * l.Grid * l.Anchors);
        if (anchorWeight.Shape[0] != 1 || anchorWeight.Shape[2] != 4 || anchorWeight.Shape[1] != expected)
        {
            throw new InvalidDataException($"'Output/extra_dim' has shape [{string.Join(", ", anchorWeight.Shape)}]; the predictors give {expected} boxes for a {SsdFaceDetector.InputSize}×{SsdFaceDetector.InputSize} input, so expected [1, {expected}, 4].");
        }

        var anchorValues = side == SsdFaceDetector.InputSize ? anchorWeight.Values : LayAnchors(anchorWeight.Values, trained, layers);
        var predictions = layers.Sum(l => l.Grid * l.Grid * l.Anchors);
        var (centres, sizes) = AnchorGeometry(anchorValues, side);
        var encoding = graph.Concat(encodings, axis: 1); // [N, A, 4]: (ty, tx, th, tw)
        var logits = graph.Concat(classes, axis: 1); // [N, A, 3]: background, face, unused

        var offsets = graph.Node("Gather", [encoding, graph.AddInitializer("xy_fields", [1L, 0L], 2)], [OnnxAttribute.Int("axis", 2)]);
        var logSizes = graph.Node("Gather", [encoding, graph.AddInitializer("wh_fields", [3L, 2L], 2)], [OnnxAttribute.Int("axis", 2)]);
        var centre = graph.Add(graph.Mul(offsets, graph.AddInitializer("anchor_size_tenth", sizes.Select(s => s / 10f).ToArray(), 1, predictions, 2)),
            graph.AddInitializer("anchor_centre", centres, 1, predictions, 2));
        var half = graph.Mul(graph.Node("Exp", [graph.Mul(logSizes, graph.AddInitializer("one_fifth", [0.2f], 1))]),
            graph.AddInitializer("anchor_half_size", sizes.Select(s => s / 2f).ToArray(), 1, predictions, 2));
        var boxes = graph.Concat([graph.Node("Sub", [centre, half]), graph.Add(centre, half)], axis: 2);
        graph.Identity(boxes, SsdFaceDetector.BoxesName);

        var face = graph.Node("Gather", [logits, graph.AddInitializer("face_class", [1L])], [OnnxAttribute.Int("axis", 2)]);
        graph.Identity(graph.Sigmoid(face), SsdFaceDetector.ScoresName);

        graph.AddOutput(SsdFaceDetector.BoxesName, [batch, OnnxDimension.Fixed(predictions), OnnxDimension.Fixed(4)]);
        graph.AddOutput(SsdFaceDetector.ScoresName, [batch, OnnxDimension.Fixed(predictions)]);
        return graph.ToModelBytes(new Dictionary<string, string>
        {
            ["source"] = "face-api.js SSD MobileNet v1 face detector (MIT), converted by face2data detector convert",
        });
    }

    /// <summary>
    /// TensorFlow's "same" padding for one spatial axis: the output size and the padding before and after (the odd
    /// pixel goes after).
    /// </summary>
    internal static (int Output, int Before, int After) SamePadding(int size, int kernel, int stride)
    {
        var output = (size + stride - 1) / stride;
        var total = Math.Max(((output - 1) * stride) + kernel - size, 0);
        return (output, total / 2, total - (total / 2));
    }

    // The feature map sides of the six predictors for an input side (block 11 at 1/16, block 13 at 1/32, then halving).
    private static List<(int Grid, int Anchors)> Grids(int side, IReadOnlyList<int> anchors)
    {
        var grids = new List<int>();
        var size = side;
        foreach (var stride in new[] { 2, 2, 2, 2, 1 })
        {
            size = SamePadding(size, 3, stride).Output;
        }

        grids.Add(size); // block 11
        size = SamePadding(size, 3, 2).Output;
        grids.Add(size); // block 13
        for (var i = 0; i < 4; i++)
        {
            size = SamePadding(size, 3, 2).Output;
            grids.Add(size);
        }

        return grids.Select((g, i) => (g, anchors[i])).ToList();
    }

    /// <summary>
    /// The anchors for other feature map sides: TensorFlow's grid anchor generator centres every cell's anchors at
    /// ((row + ½) / grid, (column + ½) / grid) with the same shapes in every cell of a map, so the shapes of the
    /// trained anchors' first cell, laid on the new grids, are the anchors the generator would have made.
    /// </summary>
    /// <exception cref="InvalidDataException">The trained anchors are not such a grid.</exception>
    internal static float[] LayAnchors(float[] trained, IReadOnlyList<(int Grid, int Anchors)> trainedLayers, IReadOnlyList<(int Grid, int Anchors)> layers)
    {
        var result = new List<float>();
        var start = 0;
        for (var k = 0; k < layers.Count; k++)
        {
            var (grid, anchors) = trainedLayers[k];
            var shapes = new (float Height, float Width)[anchors];
            for (var cell = 0; cell < grid * grid; cell++)
            {
                var (row, column) = (cell / grid, cell % grid);
                for (var a = 0; a < anchors; a++)
                {
                    var i = 4 * (start + (cell * anchors) + a);
                    var (height, width) = (trained[i + 2] - trained[i], trained[i + 3] - trained[i + 1]);
                    shapes[a] = cell == 0 ? (height, width) : shapes[a];
                    var centreY = trained[i] + (height / 2);
                    var centreX = trained[i + 1] + (width / 2);
                    if (Math.Abs(height - shapes[a].Height) > 1e-4 || Math.Abs(width - shapes[a].Width) > 1e-4 ||
                        Math.Abs(centreY - ((row + 0.5) / grid)) > 1e-4 || Math.Abs(centreX - ((column + 0.5) / grid)) > 1e-4)
                    {
                        throw new InvalidDataException($"The anchors of predictor {k} are not a regular grid (anchor {a} of cell {row}, {column}), so they cannot be laid on another input size; convert at {SsdFaceDetector.InputSize}.");
                    }
                }
            }

            var newGrid = layers[k].Grid;
            for (var cell = 0; cell < newGrid * newGrid; cell++)
            {
                var centreY = ((cell / newGrid) + 0.5f) / newGrid;
                var centreX = ((cell % newGrid) + 0.5f) / newGrid;
                foreach (var (height, width) in shapes)
                {
                    result.AddRange([centreY - (height / 2), centreX - (width / 2), centreY + (height / 2), centreX + (width / 2)]);
                }
            }

            start += grid * grid * anchors;
        }

        return result.ToArray();
    }

    // Anchors [ymin, xmin, ymax, xmax] (normalised) → centres (x, y) and sizes (w, h) in input pixels, [A, 2] each.
    private static (float[] Centres, float[] Sizes) AnchorGeometry(float[] anchors, int side)
    {
        var count = anchors.Length / 4;
        var centres = new float[2 * count];
        var sizes = new float[2 * count];
        for (var i = 0; i < count; i++)
        {
            var (ymin, xmin, ymax, xmax) = (anchors[4 * i], anchors[(4 * i) + 1], anchors[(4 * i) + 2], anchors[(4 * i) + 3]);
            var (width, height) = (xmax - xmin, ymax - ymin);
            sizes[2 * i] = width * side;
            sizes[(2 * i) + 1] = height * side;
            centres[2 * i] = (xmin + (width / 2)) * side;
            centres[(2 * i) + 1] = (ymin + (height / 2)) * side;
        }

        return (centres, sizes);
    }

    // A convolution (any kernel) with its batch-norm offset as bias, then ReLU6.
    private static Feature Pointwise(OnnxGraphBuilder graph, IReadOnlyDictionary<string, TfWeight> weights, Feature x, string prefix, int stride)
    {
        var filters = TfjsWeights.Need(weights, ModelName, $"{prefix}/weights", 4);
        var offset = TfjsWeights.Need(weights, ModelName, $"{prefix}/convolution_bn_offset", 1);
        var (kh, kw, cin, cout) = (filters.Shape[0], filters.Shape[1], filters.Shape[2], filters.Shape[3]);
        if (offset.Shape[0] != cout)
        {
            throw new InvalidDataException($"'{offset.Name}' has {offset.Shape[0]} values for {cout} filters.");
        }

        var (output, before, after) = SamePadding(x.Side, kh, stride);
        var w = TfjsWeights.AddConvWeight(graph, filters, cout, cin, kh, kw);
        var b = graph.AddInitializer(offset.Name, offset.Values, cout);
        var y = graph.Conv(x.Value, w, b, [kh, kw], [stride, stride], [before, before, after, after], [1, 1]);
        return new Feature(graph.Clip(y, 0, 6), output);
    }

    // A depthwise 3×3 convolution, batch normalisation (moving statistics), then ReLU6.
    private static Feature Depthwise(OnnxGraphBuilder graph, IReadOnlyDictionary<string, TfWeight> weights, Feature x, string prefix, int stride)
    {
        var filters = TfjsWeights.Need(weights, ModelName, $"{prefix}/depthwise_weights", 4);
        var channels = filters.Shape[2];
        if (filters.Shape[3] != 1)
        {
            throw new InvalidDataException($"'{filters.Name}' has a channel multiplier of {filters.Shape[3]}; expected 1.");
        }

        string Norm(string name)
        {
            var weight = TfjsWeights.Need(weights, ModelName, $"{prefix}/BatchNorm/{name}", 1);
            return weight.Shape[0] == channels
                ? graph.AddInitializer(weight.Name, weight.Values, channels)
                : throw new InvalidDataException($"'{weight.Name}' has {weight.Shape[0]} values for {channels} channels.");
        }

        var (kh, kw) = (filters.Shape[0], filters.Shape[1]);
        var (output, before, after) = SamePadding(x.Side, kh, stride);
        // TensorFlow depthwise [kh, kw, in, 1] → ONNX grouped [in, 1, kh, kw].
        var w = TfjsWeights.AddConvWeight(graph, filters, channels, 1, kh, kw);
        var y = graph.Conv(x.Value, w, null, [kh, kw], [stride, stride], [before, before, after, after], [1, 1], group: channels);
        y = graph.BatchNormalization(y, Norm("gamma"), Norm("beta"), Norm("moving_mean"), Norm("moving_variance"), BatchNormEpsilon);
        return new Feature(graph.Clip(y, 0, 6), output);
    }

    // A 1×1 predictor convolution, its output laid out as TensorFlow's NHWC reshape: [N, H·W·anchors, fields].
    private static string Predictor(OnnxGraphBuilder graph, IReadOnlyDictionary<string, TfWeight> weights, Feature x, string prefix, int fields, out int anchors)
    {
        var filters = TfjsWeights.Need(weights, ModelName, $"{prefix}/weights", 4);
        var bias = TfjsWeights.Need(weights, ModelName, $"{prefix}/biases", 1);
        var (kh, kw, cin, cout) = (filters.Shape[0], filters.Shape[1], filters.Shape[2], filters.Shape[3]);
        if (kh != 1 || kw != 1 || cout % fields != 0 || bias.Shape[0] != cout)
        {
            throw new InvalidDataException($"'{prefix}' is not a 1×1 predictor of {fields} values per anchor (filters [{string.Join(", ", filters.Shape)}], {bias.Shape[0]} biases).");
        }

        anchors = cout / fields;
        var w = TfjsWeights.AddConvWeight(graph, filters, cout, cin, 1, 1);
        var b = graph.AddInitializer(bias.Name, bias.Values, cout);
        var y = graph.Conv(x.Value, w, b, [1, 1], [1, 1], [0, 0, 0, 0], [1, 1]);
        var nhwc = graph.Node("Transpose", [y], [OnnxAttribute.Ints("perm", 0, 2, 3, 1)]);
        return graph.Node("Reshape", [nhwc, graph.AddInitializer("predictor_shape", [0L, -1L, fields], 3)]);
    }

    // ONNX Runtime must load the graph and give as many boxes as scores for an image of its side.
    private static void Verify(byte[] bytes, int side)
    {
        var shapes = ConvertedGraph.OutputShapes(bytes, SsdFaceDetector.InputName, [1, 3, side, side], [SsdFaceDetector.BoxesName, SsdFaceDetector.ScoresName]);
        if (shapes[0] is not [1, var count, 4] || shapes[1] is not [1, var scored] || scored != count)
        {
            throw new InvalidOperationException($"The converted graph gives boxes [{string.Join(", ", shapes[0])}] and scores [{string.Join(", ", shapes[1])}]; expected [1, A, 4] and [1, A].");
        }
    }

    private readonly record struct Feature(string Value, int Side);
}
