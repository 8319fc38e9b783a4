using System.Buffers.Binary;
using System.Text.Json;

namespace Face2Data.Onnx.Converters;

/// <summary>
/// Reads the weights of a TensorFlow.js model (a weights manifest and its <c>.bin</c> shards, float32 or uint8/uint16
/// quantized) and lays them out as ONNX wants them; shared by the converters of face-api.js's networks.
/// </summary>
public static class TfjsWeights
{
    /// <summary>
    /// The weights a TensorFlow.js manifest describes, by name, dequantized to float32 (TensorFlow layout,
    /// [kh, kw, in, out] for convolutions).
    /// </summary>
    public static IReadOnlyDictionary<string, TfWeight> Read(string manifestPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manifestPath);
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException($"No weights manifest at '{manifestPath}'.", manifestPath);
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath)) ?? ".";
        var result = new Dictionary<string, TfWeight>(StringComparer.Ordinal);
        using var document = ParseManifest(manifestPath);
        foreach (var group in document.RootElement.EnumerateArray())
        {
            var shard = group.GetProperty("paths").EnumerateArray()
                .SelectMany(p => File.ReadAllBytes(ShardPath(folder, p.GetString())))
                .ToArray();
            var offset = 0;
            foreach (var entry in group.GetProperty("weights").EnumerateArray())
            {
                var weight = ReadWeight(entry, shard, ref offset);
                result[weight.Name] = weight;
            }

            if (offset != shard.Length)
            {
                throw new InvalidDataException($"The manifest '{manifestPath}' describes {offset} bytes of weights, but its shard holds {shard.Length}.");
            }
        }

        return result;
    }

    /// <summary>
    /// A TensorFlow convolution filter [kh, kw, a, b] in ONNX's order [b, a, kh, kw]; for a depthwise filter b is 1
    /// and a the channel, which gives [1, in, kh, kw] in memory order, the same floats as ONNX's [in, 1, kh, kw].
    /// </summary>
    public static float[] ToOnnxConvWeight(TfWeight weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        return ToOnnxConvOrder(weight.Values, weight.Shape);
    }

    /// <summary>
    /// Adds a convolution filter to the graph in ONNX's order (see <see cref="ToOnnxConvWeight"/>) and returns the
    /// name of its value. A filter the manifest stores uint8-quantized is stored as it is, a byte a weight: its
    /// levels (uint8, reordered) and the 256 values they stand for, looked up in the graph (Cast to int32, Gather);
    /// ONNX Runtime folds these constant nodes at session start into the very floats <see cref="Read"/> gives.
    /// Other filters are stored as float32.
    /// </summary>
    /// <param name="graph">The graph being built.</param>
    /// <param name="weight">A TensorFlow convolution filter [kh, kw, a, b].</param>
    /// <param name="dims">Its ONNX shape, as for <see cref="OnnxGraphBuilder.AddInitializer(string, ReadOnlySpan{float}, long[])"/>.</param>
    public static string AddConvWeight(OnnxGraphBuilder graph, TfWeight weight, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Quantized is not { } quantized)
        {
            return graph.AddInitializer(weight.Name, ToOnnxConvWeight(weight), dims);
        }

        var levels = graph.AddInitializer($"{weight.Name}/levels", ToOnnxConvOrder(quantized.Levels, weight.Shape), dims);
        var table = graph.AddInitializer($"{weight.Name}/table", quantized.Table, quantized.Table.Length);
        var indices = graph.Node("Cast", [levels], [OnnxAttribute.Int("to", 6)]); // 6: int32
        return graph.Node("Gather", [table, indices], [OnnxAttribute.Int("axis", 0)]);
    }

    private static T[] ToOnnxConvOrder<T>(T[] values, int[] shape)
    {
        var (kh, kw, a, b) = (shape[0], shape[1], shape[2], shape[3]);
        var result = new T[values.Length];
        for (var y = 0; y < kh; y++)
        {
            for (var x = 0; x < kw; x++)
            {
                for (var i = 0; i < a; i++)
                {
                    for (var o = 0; o < b; o++)
                    {
                        result[((o * a + i) * kh + y) * kw + x] = values[((y * kw + x) * a + i) * b + o];
                    }
                }
            }
        }

        return result;
    }

    /// <summary>The weight called <paramref name="name"/>, which must have <paramref name="rank"/> dimensions.</summary>
    /// <param name="weights">What <see cref="Read"/> returned.</param>
    /// <param name="model">The network's name for the error message, such as "the Tiny Face Detector".</param>
    /// <param name="name">The weight's name in the manifest.</param>
    /// <param name="rank">Its number of dimensions.</param>
    /// <exception cref="InvalidDataException">No such weight, or another rank.</exception>
    public static TfWeight Need(IReadOnlyDictionary<string, TfWeight> weights, string model, string name, int rank)
    {
        if (!weights.TryGetValue(name, out var weight))
        {
            throw new InvalidDataException($"The weights have no '{name}': not {model}'s manifest?");
        }

        if (weight.Shape.Length != rank)
        {
            throw new InvalidDataException($"'{name}' has shape [{string.Join(", ", weight.Shape)}]; expected {rank} dimensions.");
        }

        return weight;
    }

    private static JsonDocument ParseManifest(string path)
    {
        try
        {
            var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                document.Dispose();
                throw new InvalidDataException($"'{path}' is not a TensorFlow.js weights manifest (expected a JSON array of weight groups).");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{path}' is not JSON: {ex.Message}", ex);
        }
    }

    // A shard is named relative to its manifest (a weights manifest's or a graph model's); a name that leaves the folder is refused.
    internal static string ShardPath(string folder, string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || Path.IsPathRooted(name) || name.Contains("..", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Unusable shard name '{name}' in the manifest.");
        }

        var path = Path.Combine(folder, name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"The manifest names the shard '{name}', which is not beside it.", path);
    }

    private static TfWeight ReadWeight(JsonElement entry, byte[] shard, ref int offset)
    {
        var name = entry.GetProperty("name").GetString() ?? throw new InvalidDataException("A weight without a name.");
        var shape = entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        var count = shape.Aggregate(1, (product, d) => checked(product * d));
        var values = new float[count];
        TfQuantized? quantized = null;
        var quantization = entry.TryGetProperty("quantization", out var q) ? q : (JsonElement?)null;
        if (quantization is { } quant)
        {
            var type = quant.GetProperty("dtype").GetString();
            var scale = quant.GetProperty("scale").GetDouble();
            var min = quant.GetProperty("min").GetDouble();
            var size = type switch
            {
                "uint8" => 1,
                "uint16" => 2,
                _ => throw new InvalidDataException($"'{name}' uses the quantization '{type}'; only uint8 and uint16 are read."),
            };
            Require(shard, offset, count * size, name);
            for (var i = 0; i < count; i++)
            {
                var level = size == 1 ? shard[offset + i] : BinaryPrimitives.ReadUInt16LittleEndian(shard.AsSpan(offset + 2 * i));
                values[i] = (float)(min + scale * level);
            }

            if (size == 1)
            {
                var table = Enumerable.Range(0, 256).Select(level => (float)(min + scale * level)).ToArray();
                quantized = new TfQuantized(shard.AsSpan(offset, count).ToArray(), table);
            }

            offset += count * size;
        }
        else
        {
            var type = entry.GetProperty("dtype").GetString();
            if (type != "float32")
            {
                throw new InvalidDataException($"'{name}' is stored as '{type}'; only float32 is read.");
            }

            Require(shard, offset, count * 4, name);
            for (var i = 0; i < count; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(shard.AsSpan(offset + 4 * i));
            }

            offset += count * 4;
        }

        return new TfWeight(name, shape, values, quantized);
    }

    private static void Require(byte[] shard, int offset, int length, string name)
    {
        if (offset + length > shard.Length)
        {
            throw new InvalidDataException($"The shard ends inside '{name}' (truncated file?).");
        }
    }
}
