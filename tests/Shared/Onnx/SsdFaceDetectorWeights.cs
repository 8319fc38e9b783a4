using System.Text.Json;

namespace Face2Data.Testing;

/// <summary>
/// A small stand-in for face-api.js's SSD MobileNet v1 weights: a TensorFlow.js manifest of uint8-quantized weights
/// with the real network's names, layout and 5,118 anchors (float32, <c>Output/extra_dim</c>), only fewer channels,
/// and a few of the int32 constants the real manifest carries.
/// </summary>
internal static class SsdFaceDetectorWeights
{
    /// <summary>Output channels of MobilenetV1 Conv2d_0 … Conv2d_13 (the real 32, 64, … 1024, only smaller).</summary>
    public static IReadOnlyList<int> BackboneChannels { get; } = [4, 6, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 12, 12];

    /// <summary>Output channels of Prediction Conv2d_0 … Conv2d_7 (the real 256, 512, 128, 256, 128, 256, 64, 128).</summary>
    public static IReadOnlyList<int> ExtraChannels { get; } = [6, 8, 4, 8, 4, 6, 4, 6];

    /// <summary>Anchors per cell of the six box predictors (3 on block 11, 6 on the others).</summary>
    public static IReadOnlyList<int> AnchorsPerCell { get; } = [3, 6, 6, 6, 6, 6];

    /// <summary>Anchors of a 512×512 input: 32² × 3 + (16² + 8² + 4² + 2² + 1²) × 6.</summary>
    public const int AnchorCount = 5118;

    /// <summary>The box fields (ty, tx, th, tw) every anchor predicts with <c>constant</c> weights.</summary>
    public static IReadOnlyList<float> ConstantEncoding { get; } = [1f, -2f, 0.5f, -1f];

    /// <summary>The class logits (background, face, other) every anchor predicts with <c>constant</c> weights.</summary>
    public static IReadOnlyList<float> ConstantLogits { get; } = [0f, 2f, -1f];

    /// <summary>
    /// Writes <c>ssd-weights_manifest.json</c> and its shard <c>ssd.bin</c> into <paramref name="folder"/> and returns
    /// the manifest's path. <paramref name="variant"/>: <c>constant</c> makes every predictor's weights zero and its
    /// biases float32 <see cref="ConstantEncoding"/> / <see cref="ConstantLogits"/>; <c>no-anchors</c> leaves out
    /// <c>Output/extra_dim</c>, <c>few-anchors</c> gives it 5,000, <c>irregular-anchors</c> places the anchors at random
    /// (not TensorFlow's grid), <c>no-block7</c> leaves out Conv2d_7's depthwise filter, <c>odd-predictor</c> gives
    /// predictor 2 five values per anchor. Otherwise the anchors are a grid as TensorFlow's generator makes it: every
    /// cell's anchors centred on it, with shapes (random here) that are the same in every cell of a map.
    /// </summary>
    public static string Write(string folder, int seed, string? variant = null)
    {
        var random = new Random(seed);
        var entries = new List<Entry>();
        void Add(string name, int[] shape, Kind kind = Kind.Random, float[]? values = null) => entries.Add(new Entry(name, shape, kind, values));

        Add("MobilenetV1/Conv2d_0_pointwise/weights", [3, 3, 3, BackboneChannels[0]]);
        Add("MobilenetV1/Conv2d_0_pointwise/convolution_bn_offset", [BackboneChannels[0]]);
        for (var block = 1; block <= 13; block++)
        {
            var (cin, cout) = (BackboneChannels[block - 1], BackboneChannels[block]);
            var prefix = $"MobilenetV1/Conv2d_{block}_depthwise";
            if (!(variant == "no-block7" && block == 7))
            {
                Add($"{prefix}/depthwise_weights", [3, 3, cin, 1]);
            }

            Add($"{prefix}/BatchNorm/gamma", [cin], Kind.Positive);
            Add($"{prefix}/BatchNorm/beta", [cin]);
            Add($"{prefix}/BatchNorm/moving_mean", [cin]);
            Add($"{prefix}/BatchNorm/moving_variance", [cin], Kind.Positive);
            Add($"MobilenetV1/Conv2d_{block}_pointwise/weights", [1, 1, cin, cout]);
            Add($"MobilenetV1/Conv2d_{block}_pointwise/convolution_bn_offset", [cout]);
        }

        var channels = BackboneChannels[^1];
        for (var layer = 0; layer < 8; layer++)
        {
            var kernel = layer % 2 == 0 ? 1 : 3;
            Add($"Prediction/Conv2d_{layer}_pointwise/weights", [kernel, kernel, channels, ExtraChannels[layer]]);
            Add($"Prediction/Conv2d_{layer}_pointwise/convolution_bn_offset", [ExtraChannels[layer]]);
            channels = ExtraChannels[layer];
        }

        int[] inputs = [BackboneChannels[11], BackboneChannels[13], ExtraChannels[1], ExtraChannels[3], ExtraChannels[5], ExtraChannels[7]];
        var constant = variant == "constant";
        for (var i = 0; i < 6; i++)
        {
            var anchors = AnchorsPerCell[i];
            var fields = variant == "odd-predictor" && i == 2 ? 5 : 4;
            var prefix = $"Prediction/BoxPredictor_{i}";
            Add($"{prefix}/BoxEncodingPredictor/weights", [1, 1, inputs[i], anchors * fields], constant ? Kind.Zero : Kind.Random);
            Add($"{prefix}/BoxEncodingPredictor/biases", [anchors * fields], constant ? Kind.Float : Kind.Random,
                constant ? Enumerable.Range(0, anchors).SelectMany(_ => ConstantEncoding).ToArray() : null);
            Add($"{prefix}/ClassPredictor/weights", [1, 1, inputs[i], anchors * 3], constant ? Kind.Zero : Kind.Random);
            Add($"{prefix}/ClassPredictor/biases", [anchors * 3], constant ? Kind.Float : Kind.Random,
                constant ? Enumerable.Range(0, anchors).SelectMany(_ => ConstantLogits).ToArray() : null);
            Add($"{prefix}/stack_1/1", [], Kind.Int);
        }

        Add("Preprocessor/ResizeImage/size", [2], Kind.Int);
        if (variant != "no-anchors")
        {
            var anchors = variant switch
            {
                "few-anchors" => RandomAnchors(random, 5000),
                "irregular-anchors" => RandomAnchors(random, AnchorCount),
                _ => GridAnchors(random),
            };
            Add("Output/extra_dim", [1, anchors.Length / 4, 4], Kind.Float, anchors);
        }

        var shard = new List<byte>();
        var described = new List<object>();
        foreach (var (name, shape, kind, values) in entries)
        {
            var count = shape.Aggregate(1, (a, b) => a * b);
            if (kind == Kind.Float)
            {
                shard.AddRange(values!.SelectMany(BitConverter.GetBytes));
                described.Add(new { name, shape, dtype = "float32" });
                continue;
            }

            var fanIn = shape.Length == 4 ? count / shape[^1] : 1;
            var (min, spread) = kind switch
            {
                Kind.Zero => (0.0, 0.0),
                Kind.Positive => (0.5, 1.0),
                Kind.Int => (0.0, 255.0),
                _ when shape.Length == 4 => (-1.5 / Math.Sqrt(fanIn), 3.0 / Math.Sqrt(fanIn)),
                _ => (-0.2, 0.4),
            };
            for (var i = 0; i < count; i++)
            {
                shard.Add(kind == Kind.Zero ? (byte)0 : (byte)random.Next(256));
            }

            described.Add(new { name, shape, dtype = kind == Kind.Int ? "int32" : "float32", quantization = new { dtype = "uint8", scale = spread / 255, min } });
        }

        File.WriteAllBytes(Path.Combine(folder, "ssd.bin"), shard.ToArray());
        var path = Path.Combine(folder, "ssd-weights_manifest.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new[] { new { paths = new[] { "ssd.bin" }, weights = described } }));
        return path;
    }

    /// <summary>The feature map sides of the six predictors for a 512×512 input.</summary>
    public static IReadOnlyList<int> Grids { get; } = [32, 16, 8, 4, 2, 1];

    // Anchors [ymin, xmin, ymax, xmax] on TensorFlow's grid: centre ((row + ½) / grid, (column + ½) / grid), shapes
    // (sides 0.05 to 0.6) drawn once per map and anchor.
    private static float[] GridAnchors(Random random)
    {
        var values = new List<float>();
        for (var k = 0; k < Grids.Count; k++)
        {
            var grid = Grids[k];
            var shapes = Enumerable.Range(0, AnchorsPerCell[k]).Select(_ => (H: 0.05f + (0.55f * random.NextSingle()), W: 0.05f + (0.55f * random.NextSingle()))).ToList();
            for (var cell = 0; cell < grid * grid; cell++)
            {
                var (cy, cx) = (((cell / grid) + 0.5f) / grid, ((cell % grid) + 0.5f) / grid);
                foreach (var (h, w) in shapes)
                {
                    values.AddRange([cy - (h / 2), cx - (w / 2), cy + (h / 2), cx + (w / 2)]);
                }
            }
        }

        return values.ToArray();
    }

    // Random anchors [ymin, xmin, ymax, xmax], normalised, sides 0.05 to 0.6.
    private static float[] RandomAnchors(Random random, int count)
    {
        var values = new float[4 * count];
        for (var i = 0; i < count; i++)
        {
            var (cy, cx) = (random.NextDouble(), random.NextDouble());
            var (h, w) = (0.05 + (0.55 * random.NextDouble()), 0.05 + (0.55 * random.NextDouble()));
            values[4 * i] = (float)(cy - (h / 2));
            values[(4 * i) + 1] = (float)(cx - (w / 2));
            values[(4 * i) + 2] = (float)(cy + (h / 2));
            values[(4 * i) + 3] = (float)(cx + (w / 2));
        }

        return values;
    }

    private enum Kind
    {
        Random,
        Positive,
        Zero,
        Int,
        Float,
    }

    private readonly record struct Entry(string Name, int[] Shape, Kind Kind, float[]? Values);
}
