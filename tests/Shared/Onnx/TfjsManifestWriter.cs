using System.Text.Json;

namespace Face2Data.Testing;

/// <summary>
/// Writes stand-in weights in TensorFlow.js's weights-manifest format: a <c>STEM.bin</c> shard and its
/// <c>STEM-weights_manifest.json</c>, random values scaled to each weight's fan-in, uint8-quantized (as face-api.js
/// publishes them) unless marked float32.
/// </summary>
internal static class TfjsManifestWriter
{
    /// <summary>Writes the files into <paramref name="folder"/> and returns the manifest's path.</summary>
    public static string Write(string folder, string stem, IEnumerable<(string Name, int[] Shape, bool IsFloat)> entries, Random random)
    {
        var shard = new List<byte>();
        var described = new List<object>();
        foreach (var (name, shape, isFloat) in entries)
        {
            var count = shape.Aggregate(1, (a, b) => a * b);
            var isBias = name.EndsWith("bias", StringComparison.Ordinal);
            var fanIn = isBias ? 1 : count / shape[^1];
            var spread = isBias ? 0.2 : 2.0 / Math.Sqrt(fanIn);
            if (isFloat)
            {
                for (var i = 0; i < count; i++)
                {
                    shard.AddRange(BitConverter.GetBytes((float)((random.NextDouble() - 0.5) * spread)));
                }

                described.Add(new { name, shape, dtype = "float32" });
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

        File.WriteAllBytes(Path.Combine(folder, stem + ".bin"), shard.ToArray());
        var path = Path.Combine(folder, stem + "-weights_manifest.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new[] { new { paths = new[] { stem + ".bin" }, weights = described } }));
        return path;
    }
}
