using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Face2Data.Onnx.Converters;

/// <summary>One node of a TensorFlow.js graph model: its name, operator, inputs (without <c>:0</c> suffixes or
/// control inputs) and attributes as the model.json gives them.</summary>
public sealed record TfjsNode(string Name, string Op, IReadOnlyList<string> Inputs, IReadOnlyDictionary<string, JsonElement> Attributes)
{
    /// <summary>An integer attribute (<c>{"i": "2"}</c>), or <paramref name="fallback"/>.</summary>
    public long Int(string name, long fallback) =>
        Attributes.TryGetValue(name, out var a) && a.TryGetProperty("i", out var i) ? ReadLong(i) : fallback;

    /// <summary>A float attribute (<c>{"f": 0.2}</c>), or <paramref name="fallback"/>.</summary>
    public float Float(string name, float fallback) =>
        Attributes.TryGetValue(name, out var a) && a.TryGetProperty("f", out var f) ? (float)ReadDouble(f) : fallback;

    /// <summary>A boolean attribute (<c>{"b": true}</c>), or false.</summary>
    public bool Bool(string name) => Attributes.TryGetValue(name, out var a) && a.TryGetProperty("b", out var b) && b.GetBoolean();

    /// <summary>A string attribute (base64 in model.json), or <paramref name="fallback"/>.</summary>
    public string String(string name, string fallback) =>
        Attributes.TryGetValue(name, out var a) && a.TryGetProperty("s", out var s) ? Decode(s.GetString()) : fallback;

    /// <summary>An integer list attribute (<c>{"list": {"i": [...]}}</c>), empty when absent.</summary>
    public long[] Ints(string name) =>
        Attributes.TryGetValue(name, out var a) && a.TryGetProperty("list", out var list) && list.TryGetProperty("i", out var items)
            ? items.EnumerateArray().Select(ReadLong).ToArray()
            : [];

    /// <summary>A string list attribute (such as <c>fused_ops</c>), empty when absent.</summary>
    public string[] Strings(string name) =>
        Attributes.TryGetValue(name, out var a) && a.TryGetProperty("list", out var list) && list.TryGetProperty("s", out var items)
            ? items.EnumerateArray().Select(s => Decode(s.GetString())).ToArray()
            : [];

    private static string Decode(string? base64) => base64 is null ? "" : Encoding.UTF8.GetString(Convert.FromBase64String(base64));

    private static long ReadLong(JsonElement e) => e.ValueKind == JsonValueKind.String ? long.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : e.GetInt64();

    private static double ReadDouble(JsonElement e) => e.ValueKind == JsonValueKind.String ? double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : e.GetDouble();
}

/// <summary>A constant of a TensorFlow.js graph model: float32 (dequantized) or int32 values in TensorFlow's order.</summary>
public sealed record TfjsTensor(string Name, int[] Shape, float[]? Floats, int[]? Ints)
{
    /// <summary>True for an int32 tensor.</summary>
    public bool IsInt => Ints is not null;

    /// <summary>Number of elements.</summary>
    public int Count => Floats?.Length ?? Ints!.Length;

    /// <summary>The values as doubles whichever the type.</summary>
    public double At(int index) => Floats is { } f ? f[index] : Ints![index];
}

/// <summary>
/// A TensorFlow.js graph model (<c>"format": "graph-model"</c>): the node list of its model.json and its weights
/// read from the shards beside it, dequantized to float32 (uint8 and uint16 affine quantization, float16) or kept
/// as int32.
/// </summary>
public sealed class TfjsGraphModel
{
    private TfjsGraphModel(IReadOnlyList<TfjsNode> nodes, IReadOnlyDictionary<string, TfjsTensor> weights, IReadOnlyList<string> outputs)
    {
        Nodes = nodes;
        Weights = weights;
        Outputs = outputs;
    }

    /// <summary>The nodes in the file's order.</summary>
    public IReadOnlyList<TfjsNode> Nodes { get; }

    /// <summary>The constants by node name.</summary>
    public IReadOnlyDictionary<string, TfjsTensor> Weights { get; }

    /// <summary>The output node names: the signature's, else every node no other node reads, in file order.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>Reads model.json and its weight shards (looked up beside it).</summary>
    /// <exception cref="FileNotFoundException">The model or a shard is missing.</exception>
    /// <exception cref="InvalidDataException">Not a TensorFlow.js graph model, or its shards do not match its manifest.</exception>
    public static TfjsGraphModel Load(string modelJsonPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelJsonPath);
        if (!File.Exists(modelJsonPath))
        {
            throw new FileNotFoundException($"No TensorFlow.js model at '{modelJsonPath}'.", modelJsonPath);
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(modelJsonPath)) ?? ".";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(modelJsonPath));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{modelJsonPath}' is not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("modelTopology", out var topology) || !topology.TryGetProperty("node", out var nodeList))
            {
                throw new InvalidDataException($"'{modelJsonPath}' is not a TensorFlow.js graph model (no modelTopology.node); a layers model is not supported.");
            }

            var nodes = nodeList.EnumerateArray().Select(ReadNode).ToList();
            var weights = new Dictionary<string, TfjsTensor>(StringComparer.Ordinal);
            if (root.TryGetProperty("weightsManifest", out var manifest))
            {
                foreach (var group in manifest.EnumerateArray())
                {
                    var shard = group.GetProperty("paths").EnumerateArray()
                        .SelectMany(p => File.ReadAllBytes(TfjsWeights.ShardPath(folder, p.GetString())))
                        .ToArray();
                    var offset = 0;
                    foreach (var entry in group.GetProperty("weights").EnumerateArray())
                    {
                        var weight = ReadWeight(entry, shard, ref offset);
                        weights[weight.Name] = weight;
                    }

                    if (offset != shard.Length)
                    {
                        throw new InvalidDataException($"The manifest of '{modelJsonPath}' describes {offset} bytes of weights, but its shards hold {shard.Length}.");
                    }
                }
            }

            foreach (var node in nodes.Where(n => n.Op == "Const" && !weights.ContainsKey(n.Name)))
            {
                if (InlineConstant(node) is { } inline)
                {
                    weights[node.Name] = inline;
                }
            }

            return new TfjsGraphModel(nodes, weights, FindOutputs(root, nodes));
        }
    }

    /// <summary>Decodes one IEEE half-precision value.</summary>
    internal static float HalfToFloat(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    private static List<string> FindOutputs(JsonElement root, List<TfjsNode> nodes)
    {
        if (root.TryGetProperty("signature", out var signature) && signature.TryGetProperty("outputs", out var outputs))
        {
            var named = outputs.EnumerateObject()
                .Select(o => o.Value.TryGetProperty("name", out var n) ? StripPort(n.GetString() ?? "") : "")
                .Where(n => n.Length > 0)
                .OrderBy(n => n, StringComparer.Ordinal)
                .ToList();
            if (named.Count > 0)
            {
                return named;
            }
        }

        var read = nodes.SelectMany(n => n.Inputs).ToHashSet(StringComparer.Ordinal);
        return nodes.Where(n => n.Op is not ("Const" or "Placeholder") && !read.Contains(n.Name)).Select(n => n.Name).ToList();
    }

    private static TfjsNode ReadNode(JsonElement element)
    {
        var name = element.GetProperty("name").GetString() ?? throw new InvalidDataException("A node without a name.");
        var op = element.GetProperty("op").GetString() ?? throw new InvalidDataException($"Node '{name}' has no op.");
        var inputs = element.TryGetProperty("input", out var list)
            ? list.EnumerateArray().Select(i => i.GetString() ?? "").Where(i => !i.StartsWith('^')).Select(i => StripPort(i, name)).ToList()
            : [];
        var attributes = element.TryGetProperty("attr", out var attr)
            ? attr.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal)
            : new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        return new TfjsNode(name, op, inputs, attributes);
    }

    // "node:0" and "node" name the same value; another output index is not supported by the operators read here.
    private static string StripPort(string input, string? reader = null)
    {
        var colon = input.LastIndexOf(':');
        if (colon < 0)
        {
            return input;
        }

        var port = input[(colon + 1)..];
        if (port != "0")
        {
            throw new InvalidDataException($"Node '{reader ?? "(signature)"}' reads output {port} of '{input[..colon]}'; only single-output operators are supported.");
        }

        return input[..colon];
    }

    private static TfjsTensor? InlineConstant(TfjsNode node)
    {
        if (!node.Attributes.TryGetValue("value", out var value) || !value.TryGetProperty("tensor", out var tensor))
        {
            return null;
        }

        var shape = tensor.TryGetProperty("tensorShape", out var ts) && ts.TryGetProperty("dim", out var dims)
            ? dims.EnumerateArray().Select(d => d.TryGetProperty("size", out var s) ? int.Parse(s.ToString(), System.Globalization.CultureInfo.InvariantCulture) : 1).ToArray()
            : [];
        var count = shape.Aggregate(1, (p, d) => p * d);
        if (tensor.TryGetProperty("intVal", out var ints))
        {
            var values = ints.EnumerateArray().Select(v => int.Parse(v.ToString(), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return new TfjsTensor(node.Name, shape, null, Broadcast(values, count, node.Name));
        }

        if (tensor.TryGetProperty("floatVal", out var floats))
        {
            var values = floats.EnumerateArray().Select(v => float.Parse(v.ToString(), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return new TfjsTensor(node.Name, shape, Broadcast(values, count, node.Name), null);
        }

        return null;
    }

    // A TensorFlow constant may list one value for all its elements.
    private static T[] Broadcast<T>(T[] values, int count, string name) =>
        values.Length == count ? values
        : values.Length == 1 ? Enumerable.Repeat(values[0], count).ToArray()
        : throw new InvalidDataException($"Constant '{name}' lists {values.Length} values for {count} elements.");

    private static TfjsTensor ReadWeight(JsonElement entry, byte[] shard, ref int offset)
    {
        var name = entry.GetProperty("name").GetString() ?? throw new InvalidDataException("A weight without a name.");
        var shape = entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        var count = shape.Aggregate(1, (product, d) => checked(product * d));
        var dtype = entry.GetProperty("dtype").GetString();
        if (entry.TryGetProperty("quantization", out var quant))
        {
            var type = quant.GetProperty("dtype").GetString();
            var size = type switch
            {
                "uint8" => 1,
                "uint16" or "float16" => 2,
                _ => throw new InvalidDataException($"'{name}' uses the quantization '{type}'; uint8, uint16 and float16 are read."),
            };
            Require(shard, offset, count * size, name);
            var span = shard.AsSpan(offset, count * size);
            offset += count * size;
            if (type == "float16")
            {
                var halves = new float[count];
                for (var i = 0; i < count; i++)
                {
                    halves[i] = HalfToFloat(BinaryPrimitives.ReadUInt16LittleEndian(span[(2 * i)..]));
                }

                return dtype == "int32" ? new TfjsTensor(name, shape, null, halves.Select(v => (int)MathF.Round(v)).ToArray()) : new TfjsTensor(name, shape, halves, null);
            }

            var scale = quant.GetProperty("scale").GetDouble();
            var min = quant.GetProperty("min").GetDouble();
            var values = new float[count];
            for (var i = 0; i < count; i++)
            {
                var level = size == 1 ? span[i] : BinaryPrimitives.ReadUInt16LittleEndian(span[(2 * i)..]);
                values[i] = (float)(min + (scale * level));
            }

            return dtype == "int32" ? new TfjsTensor(name, shape, null, values.Select(v => (int)MathF.Round(v)).ToArray()) : new TfjsTensor(name, shape, values, null);
        }

        Require(shard, offset, count * 4, name);
        var bytes = shard.AsSpan(offset, count * 4);
        offset += count * 4;
        switch (dtype)
        {
            case "float32":
                var floats = new float[count];
                for (var i = 0; i < count; i++)
                {
                    floats[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
                }

                return new TfjsTensor(name, shape, floats, null);
            case "int32":
                var ints = new int[count];
                for (var i = 0; i < count; i++)
                {
                    ints[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(4 * i)..]);
                }

                return new TfjsTensor(name, shape, null, ints);
            default:
                throw new InvalidDataException($"'{name}' is stored as '{dtype}'; float32 and int32 are read.");
        }
    }

    private static void Require(byte[] shard, int offset, int length, string name)
    {
        if (offset + length > shard.Length)
        {
            throw new InvalidDataException($"The shard ends inside '{name}' (truncated file?).");
        }
    }
}
