using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Face2Data.Onnx.Tests.Converters;

/// <summary>Writes small TensorFlow.js graph models (model.json and one shard) for the converter's tests.</summary>
internal sealed class TfjsModelWriter
{
    private readonly List<Dictionary<string, object>> _nodes = [];
    private readonly List<Dictionary<string, object>> _weights = [];
    private readonly MemoryStream _shard = new();
    private readonly Random _random;

    public TfjsModelWriter(int seed) => _random = new Random(seed);

    /// <summary>A square image's HWC values (the reference interpreter's layout) as ONNX's CHW floats.</summary>
    public static float[] Chw(double[] hwc, int side)
    {
        var chw = new float[hwc.Length];
        for (var i = 0; i < side * side; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                chw[(c * side * side) + i] = (float)hwc[(i * 3) + c];
            }
        }

        return chw;
    }

    public static object S(string value) => new { s = Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) };

    public static object I(long value) => new { i = value.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    public static object B(bool value) => new { b = value };

    public static object F(float value) => new { f = value };

    public static object Ints(params long[] values) => new { list = new { i = values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray() } };

    public static object Strings(params string[] values) => new { list = new { s = values.Select(v => Convert.ToBase64String(Encoding.UTF8.GetBytes(v))).ToArray() } };

    public string Placeholder(string name, params long[] shape)
    {
        _nodes.Add(new Dictionary<string, object>
        {
            ["name"] = name,
            ["op"] = "Placeholder",
            ["attr"] = new Dictionary<string, object>
            {
                ["dtype"] = new { type = "DT_FLOAT" },
                ["shape"] = new { shape = new { dim = shape.Select(d => new { size = d.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToArray() } },
            },
        });
        return name;
    }

    /// <summary>A float constant of random values in [-scale, scale], stored as float32, float16 or uint8.</summary>
    public string Random(string name, int[] shape, float scale = 0.5f, string storage = "float32") =>
        Floats(name, shape, Enumerable.Range(0, shape.Aggregate(1, (p, d) => p * d)).Select(_ => (float)((_random.NextDouble() * 2) - 1) * scale).ToArray(), storage);

    public string Floats(string name, int[] shape, float[] values, string storage = "float32")
    {
        var entry = new Dictionary<string, object> { ["name"] = name, ["shape"] = shape, ["dtype"] = "float32" };
        var bytes = new byte[4];
        switch (storage)
        {
            case "float32":
                foreach (var v in values)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes, v);
                    _shard.Write(bytes, 0, 4);
                }

                break;
            case "float16":
                entry["quantization"] = new { dtype = "float16", original_dtype = "float32" };
                foreach (var v in values)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes, BitConverter.HalfToUInt16Bits((Half)v));
                    _shard.Write(bytes, 0, 2);
                }

                break;
            case "uint8":
                var min = values.Min();
                var scale = Math.Max(1e-6f, (values.Max() - min) / 255f);
                entry["quantization"] = new { dtype = "uint8", min, scale };
                foreach (var v in values)
                {
                    _shard.WriteByte((byte)Math.Clamp(Math.Round((v - min) / scale), 0, 255));
                }

                break;
            default:
                throw new ArgumentException(storage);
        }

        _weights.Add(entry);
        return AddConst(name);
    }

    public string IntConst(string name, int[] shape, params int[] values)
    {
        var bytes = new byte[4];
        foreach (var v in values)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes, v);
            _shard.Write(bytes, 0, 4);
        }

        _weights.Add(new Dictionary<string, object> { ["name"] = name, ["shape"] = shape, ["dtype"] = "int32" });
        return AddConst(name);
    }

    public string Node(string name, string op, string[] inputs, Dictionary<string, object>? attributes = null)
    {
        _nodes.Add(new Dictionary<string, object>
        {
            ["name"] = name,
            ["op"] = op,
            ["input"] = inputs,
            ["attr"] = attributes ?? new Dictionary<string, object>(),
        });
        return name;
    }

    /// <summary>Writes model.json and model.bin into <paramref name="folder"/>; returns model.json's path.</summary>
    public string Save(string folder)
    {
        File.WriteAllBytes(Path.Combine(folder, "model.bin"), _shard.ToArray());
        var model = new Dictionary<string, object>
        {
            ["format"] = "graph-model",
            ["modelTopology"] = new { node = _nodes, library = new { }, versions = new { } },
            ["weightsManifest"] = new[] { new { paths = new[] { "model.bin" }, weights = _weights } },
        };
        var path = Path.Combine(folder, "model.json");
        File.WriteAllText(path, JsonSerializer.Serialize(model));
        return path;
    }

    private string AddConst(string name)
    {
        _nodes.Add(new Dictionary<string, object> { ["name"] = name, ["op"] = "Const", ["attr"] = new Dictionary<string, object>() });
        return name;
    }
}
