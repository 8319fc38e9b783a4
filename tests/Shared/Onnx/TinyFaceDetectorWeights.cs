using System.Text.Json;

namespace Face2Data.Testing;

/// <summary>
/// A small stand-in for face-api.js's Tiny Face Detector weights: a TensorFlow.js manifest of uint8-quantized
/// weights (one float32) with the real network's names and layout, only fewer channels.
/// </summary>
internal static class TinyFaceDetectorWeights
{
    /// <summary>Channels of conv0 … conv5, as in face-api.js's filterSizes, only smaller: 3 → 4 → 6 → 6 → 8 → 8 → 8.</summary>
    public static IReadOnlyList<int> Channels { get; } = [3, 4, 6, 6, 8, 8, 8];

    /// <summary>The per-channel mean the network subtracts from RGB pixels.</summary>
    public static IReadOnlyList<float> MeanRgb { get; } = [117.001f, 114.697f, 97.404f];

    /// <summary>
    /// Writes <c>tiny-weights_manifest.json</c> and its shard <c>tiny.bin</c> into <paramref name="folder"/>: the
    /// Tiny Face Detector's names and layout with <see cref="Channels"/> and random weights (uint8-quantized, the
    /// last bias float32), and returns the manifest's path. <paramref name="damage"/> spoils them: truncated, longer,
    /// no-conv3, float16, escape, not-array, not-json or wide-output.
    /// </summary>
    public static string Write(string folder, int seed, string? damage = null)
    {
        var random = new Random(seed);
        var entries = new List<(string Name, int[] Shape, bool Float)>
        {
            ("conv0/filters", [3, 3, 3, Channels[1]], false),
            ("conv0/bias", [Channels[1]], false),
        };
        for (var block = 1; block <= 5; block++)
        {
            if (damage == "no-conv3" && block == 3)
            {
                continue;
            }

            entries.Add(($"conv{block}/depthwise_filter", [3, 3, Channels[block], 1], false));
            entries.Add(($"conv{block}/pointwise_filter", [1, 1, Channels[block], Channels[block + 1]], false));
            entries.Add(($"conv{block}/bias", [Channels[block + 1]], false));
        }

        var outputs = damage == "wide-output" ? 30 : 25;
        entries.Add(("conv8/filters", [1, 1, Channels[6], outputs], false));
        entries.Add(("conv8/bias", [outputs], true));

        var shard = new List<byte>();
        var described = new List<object>();
        foreach (var (name, shape, isFloat) in entries)
        {
            var count = shape.Aggregate(1, (a, b) => a * b);
            var fanIn = name.EndsWith("bias", StringComparison.Ordinal) ? 1 : count / shape[^1];
            var spread = name.EndsWith("bias", StringComparison.Ordinal) ? 0.2 : 2.0 / Math.Sqrt(fanIn);
            if (isFloat)
            {
                for (var i = 0; i < count; i++)
                {
                    shard.AddRange(BitConverter.GetBytes((float)((random.NextDouble() - 0.5) * spread)));
                }

                described.Add(new { name, shape, dtype = damage == "float16" ? "float16" : "float32" });
            }
            else
            {
                for (var i = 0; i < count; i++)
                {
                    shard.Add((byte)random.Next(256));
                }

                described.Add(new { name, shape, dtype = "float32", quantization = new { dtype = "uint8", scale = spread / 255, min = -spread / 2 } });
            }
        }

        var bytes = shard.ToArray();
        bytes = damage switch
        {
            "truncated" => bytes[..^3],
            "longer" => [.. bytes, 0, 0],
            _ => bytes,
        };
        File.WriteAllBytes(Path.Combine(folder, "tiny.bin"), bytes);
        var path = Path.Combine(folder, "tiny-weights_manifest.json");
        var shardName = damage == "escape" ? "../tiny.bin" : "tiny.bin";
        var json = damage switch
        {
            "not-array" => "{\"weights\": []}",
            "not-json" => "[{ not json",
            _ => JsonSerializer.Serialize(new[] { new { paths = new[] { shardName }, weights = described } }),
        };
        File.WriteAllText(path, json);
        return path;
    }
}
