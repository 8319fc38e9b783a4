using System.Runtime.InteropServices;
using System.Text;
using Face2Data.Onnx.Protobuf;
using Google.Protobuf;

namespace Face2Data.Onnx;

/// <summary>
/// Builds an ONNX graph (inference semantics, float32 inputs and outputs) with plain protobuf: graph inputs and
/// outputs, initializers from spans of floats or int64s, nodes with operator helpers, and a unique name for every
/// value; <see cref="ToModelBytes"/> gives the finished model file (opset <see cref="OpsetVersion"/>, IR
/// <see cref="IrVersion"/>). It needs no libtorch: the converters of pretrained models use it directly, and
/// Face2Data.Training adds the translation of TorchSharp modules on top.
/// </summary>
public sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph;
    private readonly HashSet<string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reserved = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nodeCounts = new(StringComparer.Ordinal);

    /// <summary>Creates an empty graph.</summary>
    public OnnxGraphBuilder(string graphName = "face2data")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(graphName);
        _graph = new GraphProto { Name = graphName };
    }

    /// <summary>Number of nodes added so far.</summary>
    public int NodeCount => _graph.Node.Count;

    /// <summary>Number of initializers (weights and constants) added so far.</summary>
    public int InitializerCount => _graph.Initializer.Count;

    /// <summary>Operator types of the nodes, in order (useful to check what a module became).</summary>
    public IReadOnlyList<string> NodeOperators => _graph.Node.Select(n => n.OpType).ToList();

    /// <summary>ONNX operator set version the operators here follow, written into every model.</summary>
    public const int OpsetVersion = 17;

    /// <summary>ONNX IR version of the model file.</summary>
    public const int IrVersion = 8;

    /// <summary>Written as the model's producer.</summary>
    public const string ProducerName = "face2data";

    internal GraphProto Graph => _graph;

    /// <summary>True when a value (input, initializer or node output) of this name exists.</summary>
    public bool HasValue(string name) => _values.Contains(name);

    /// <summary>Keeps <paramref name="name"/> free for a later explicit output (such as a graph output name).</summary>
    public void Reserve(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_values.Contains(name))
        {
            throw new InvalidOperationException($"The value name '{name}' is already used.");
        }

        _reserved.Add(name);
    }

    /// <summary>A value name not used yet, derived from <paramref name="hint"/>; the caller must then create that value.</summary>
    public string UniqueName(string hint)
    {
        var stem = Sanitize(hint);
        var name = stem;
        for (var i = 1; _values.Contains(name) || _reserved.Contains(name); i++)
        {
            name = $"{stem}_{i}";
        }

        _values.Add(name);
        return name;
    }

    /// <summary>Declares a float32 graph input.</summary>
    public string AddInput(string name, IReadOnlyList<OnnxDimension> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Claim(name);
        _graph.Input.Add(ValueInfo(name, shape));
        return name;
    }

    /// <summary>Declares an existing value as a float32 graph output; a null shape leaves the shape unstated.</summary>
    public void AddOutput(string name, IReadOnlyList<OnnxDimension>? shape)
    {
        RequireValue(name);
        if (_graph.Output.Any(o => o.Name == name))
        {
            throw new InvalidOperationException($"'{name}' is already a graph output.");
        }

        _graph.Output.Add(ValueInfo(name, shape));
    }

    /// <summary>Adds float32 constants of the given shape (no dims: a scalar).</summary>
    public string AddInitializer(string hint, ReadOnlySpan<float> values, params long[] dims) =>
        AddRawInitializer(hint, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values), values.Length, dims);

    /// <summary>Adds int64 constants of the given shape (no dims: a scalar).</summary>
    public string AddInitializer(string hint, ReadOnlySpan<long> values, params long[] dims) =>
        AddRawInitializer(hint, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values), values.Length, dims);

    /// <summary>Adds uint8 constants of the given shape (no dims: a scalar).</summary>
    public string AddInitializer(string hint, ReadOnlySpan<byte> values, params long[] dims) =>
        AddRawInitializer(hint, TensorProto.Types.DataType.Uint8, values, values.Length, dims);

    /// <summary>
    /// Adds a node and returns the name of its (single) output; <paramref name="output"/> names it explicitly
    /// (it must be unused or reserved), otherwise a unique name is derived from the operator. An empty input name
    /// skips an optional input.
    /// </summary>
    public string Node(string opType, IReadOnlyList<string> inputs, IReadOnlyList<OnnxAttribute>? attributes = null, string? output = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        foreach (var input in inputs)
        {
            if (input.Length > 0)
            {
                RequireValue(input);
            }
        }

        if (output is null)
        {
            output = UniqueName(opType.ToLowerInvariant());
        }
        else
        {
            Claim(output);
        }

        _nodeCounts[opType] = _nodeCounts.GetValueOrDefault(opType) + 1;
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{_nodeCounts[opType]}" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        foreach (var attribute in attributes ?? [])
        {
            node.Attribute.Add(attribute.ToProto());
        }

        _graph.Node.Add(node);
        return output;
    }

    /// <summary>2-D convolution. <paramref name="pads"/> is ONNX's [top, left, bottom, right].</summary>
    public string Conv(string input, string weight, string? bias, long[] kernelShape, long[] strides, long[] pads, long[] dilations, long group = 1) =>
        Node("Conv", bias is null ? [input, weight] : [input, weight, bias],
        [
            OnnxAttribute.Ints("kernel_shape", kernelShape),
            OnnxAttribute.Ints("strides", strides),
            OnnxAttribute.Ints("pads", pads),
            OnnxAttribute.Ints("dilations", dilations),
            OnnxAttribute.Int("group", group),
        ]);

    /// <summary>Inference-mode batch normalization with running statistics.</summary>
    public string BatchNormalization(string input, string scale, string bias, string mean, string variance, float epsilon) =>
        Node("BatchNormalization", [input, scale, bias, mean, variance], [OnnxAttribute.Float("epsilon", epsilon)]);

    /// <summary>max(x, 0).</summary>
    public string Relu(string input) => Node("Relu", [input]);

    /// <summary>1 / (1 + e^-x).</summary>
    public string Sigmoid(string input) => Node("Sigmoid", [input]);

    /// <summary>x · relu6(x + 3) / 6.</summary>
    public string HardSwish(string input) => Node("HardSwish", [input]);

    /// <summary>x for x ≥ 0, alpha · x otherwise.</summary>
    public string LeakyRelu(string input, float alpha) => Node("LeakyRelu", [input], [OnnxAttribute.Float("alpha", alpha)]);

    /// <summary>Clamps to [min, max].</summary>
    public string Clip(string input, float min, float max) =>
        Node("Clip", [input, AddInitializer("clip_min", [min]), AddInitializer("clip_max", [max])]);

    /// <summary>2-D max pooling. <paramref name="pads"/> is ONNX's [top, left, bottom, right].</summary>
    public string MaxPool(string input, long[] kernelShape, long[] strides, long[] pads, long[] dilations, bool ceilMode = false) =>
        Node("MaxPool", [input],
        [
            OnnxAttribute.Ints("kernel_shape", kernelShape),
            OnnxAttribute.Ints("strides", strides),
            OnnxAttribute.Ints("pads", pads),
            OnnxAttribute.Ints("dilations", dilations),
            OnnxAttribute.Int("ceil_mode", ceilMode ? 1 : 0),
        ]);

    /// <summary>2-D average pooling. <paramref name="pads"/> is ONNX's [top, left, bottom, right].</summary>
    public string AveragePool(string input, long[] kernelShape, long[] strides, long[] pads, bool ceilMode = false, bool countIncludePad = true) =>
        Node("AveragePool", [input],
        [
            OnnxAttribute.Ints("kernel_shape", kernelShape),
            OnnxAttribute.Ints("strides", strides),
            OnnxAttribute.Ints("pads", pads),
            OnnxAttribute.Int("ceil_mode", ceilMode ? 1 : 0),
            OnnxAttribute.Int("count_include_pad", countIncludePad ? 1 : 0),
        ]);

    /// <summary>Mean over all spatial positions: [N, C, H, W] → [N, C, 1, 1].</summary>
    public string GlobalAveragePool(string input) => Node("GlobalAveragePool", [input]);

    /// <summary>Flattens to 2-D: dimensions before <paramref name="axis"/> form the rows.</summary>
    public string Flatten(string input, long axis = 1) => Node("Flatten", [input], [OnnxAttribute.Int("axis", axis)]);

    /// <summary>alpha · A · op(B) + beta · C, with op(B) = Bᵀ when <paramref name="transB"/>; C may be null.</summary>
    public string Gemm(string a, string b, string? c, bool transB = true, float alpha = 1f, float beta = 1f) =>
        Node("Gemm", c is null ? [a, b] : [a, b, c],
        [
            OnnxAttribute.Float("alpha", alpha),
            OnnxAttribute.Float("beta", beta),
            OnnxAttribute.Int("transB", transB ? 1 : 0),
        ]);

    /// <summary>Matrix product with numpy broadcasting.</summary>
    public string MatMul(string a, string b) => Node("MatMul", [a, b]);

    /// <summary>Element-wise sum (broadcasting).</summary>
    public string Add(string a, string b) => Node("Add", [a, b]);

    /// <summary>Element-wise product (broadcasting).</summary>
    public string Mul(string a, string b) => Node("Mul", [a, b]);

    /// <summary>The values at indices [<paramref name="start"/>, <paramref name="end"/>) along <paramref name="axis"/>.</summary>
    public string Slice(string input, long axis, long start, long end) =>
        Node("Slice", [
            input,
            AddInitializer("slice_starts", [start], 1),
            AddInitializer("slice_ends", [end], 1),
            AddInitializer("slice_axes", [axis], 1),
        ]);

    /// <summary>The input with another shape (−1: the dimension that makes the element count match).</summary>
    public string Reshape(string input, params long[] shape) =>
        Node("Reshape", [input, AddInitializer("shape", shape, shape.Length)]);

    /// <summary>The element-wise mean of the inputs (broadcasting).</summary>
    public string Mean(IReadOnlyList<string> inputs) => Node("Mean", inputs);

    /// <summary>Element-wise natural logarithm.</summary>
    public string Log(string input) => Node("Log", [input]);

    /// <summary>Joins values along <paramref name="axis"/> (1: channels).</summary>
    public string Concat(IReadOnlyList<string> inputs, long axis = 1)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            throw new ArgumentException("Concat needs at least one input.", nameof(inputs));
        }

        return Node("Concat", inputs, [OnnxAttribute.Int("axis", axis)]);
    }

    /// <summary>Softmax along <paramref name="axis"/>.</summary>
    public string Softmax(string input, long axis = 1, string? output = null) =>
        Node("Softmax", [input], [OnnxAttribute.Int("axis", axis)], output);

    /// <summary>A copy of the input, typically to give it another name.</summary>
    public string Identity(string input, string? output = null) => Node("Identity", [input], output: output);

    /// <summary>
    /// Stores each float32 initializer of at least <paramref name="minimumCount"/> values that holds at most 256
    /// distinct values (such as weights dequantized from uint8) as one byte per value plus a table of those values,
    /// looked up by a Cast and a Gather node that produce the initializer's own name, so no other node changes.
    /// Lossless: ONNX Runtime folds these constant nodes at session start into the very same floats. The other float32
    /// initializers of at least <paramref name="minimumCount"/> values are stored as <paramref name="storage"/> says
    /// (<see cref="WeightStorage.Float16"/>: cast back by a Cast node; <see cref="WeightStorage.Byte"/>: rounded to
    /// 256 evenly spaced levels, then stored like the others). Returns the number of initializers changed.
    /// </summary>
    public int CompactInitializers(int minimumCount = 4096, WeightStorage storage = WeightStorage.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumCount, 1);
        var compacted = 0;
        foreach (var tensor in _graph.Initializer.ToList())
        {
            if (tensor.DataType != (int)TensorProto.Types.DataType.Float || tensor.RawData.Length / 4 < minimumCount)
            {
                continue;
            }

            var values = MemoryMarshal.Cast<byte, float>(tensor.RawData.Span);
            if (DistinctLevels(values) is { } table)
            {
                StoreAsLevels(tensor, LevelsOf(values, table), table);
                compacted++;
            }
            else if (storage == WeightStorage.Float16)
            {
                StoreAsHalf(tensor);
                compacted++;
            }
            else if (storage == WeightStorage.Byte)
            {
                var (levels, evenTable) = EvenLevels(tensor.Name, values);
                StoreAsLevels(tensor, levels, evenTable);
                compacted++;
            }
        }

        return compacted;
    }

    // Each value's index in the table of its distinct values.
    private static byte[] LevelsOf(ReadOnlySpan<float> values, float[] table)
    {
        var index = new Dictionary<uint, byte>(table.Length);
        for (var i = 0; i < table.Length; i++)
        {
            index[BitConverter.SingleToUInt32Bits(table[i])] = (byte)i;
        }

        var levels = new byte[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            levels[i] = index[BitConverter.SingleToUInt32Bits(values[i])];
        }

        return levels;
    }

    // 256 evenly spaced levels from the smallest value to the largest, and each value's nearest level.
    private static (byte[] Levels, float[] Table) EvenLevels(string name, ReadOnlySpan<float> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var value in values)
        {
            if (!float.IsFinite(value))
            {
                throw new InvalidOperationException($"'{name}' holds {value}, which 8-bit levels cannot store.");
            }

            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }

        var step = (max - min) / 255;
        var table = new float[256];
        for (var k = 0; k < table.Length; k++)
        {
            table[k] = (float)(min + k * step);
        }

        var levels = new byte[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            levels[i] = step > 0 ? (byte)Math.Clamp(Math.Round((values[i] - min) / step), 0, 255) : (byte)0;
        }

        return (levels, table);
    }

    // Replaces a float32 initializer by one byte per value and a table, looked up by Cast and Gather under its name.
    private void StoreAsLevels(TensorProto tensor, byte[] levels, float[] table)
    {
        _graph.Initializer.Remove(tensor);
        var levelsName = AddInitializer($"{tensor.Name}_levels", levels, [.. tensor.Dims]);
        var tableName = AddInitializer($"{tensor.Name}_table", table, table.Length);
        var indices = UniqueName($"{tensor.Name}_indices");
        var gather = new NodeProto { OpType = "Gather", Name = $"Gather_{tensor.Name}" };
        gather.Input.AddRange([tableName, indices]);
        gather.Output.Add(tensor.Name);
        gather.Attribute.Add(OnnxAttribute.Int("axis", 0).ToProto());
        var cast = new NodeProto { OpType = "Cast", Name = $"Cast_{tensor.Name}" };
        cast.Input.Add(levelsName);
        cast.Output.Add(indices);
        cast.Attribute.Add(OnnxAttribute.Int("to", (int)TensorProto.Types.DataType.Int32).ToProto());
        // Constants first, so the node list stays in topological order.
        _graph.Node.Insert(0, gather);
        _graph.Node.Insert(0, cast);
    }

    // Replaces a float32 initializer by its float16 rounding and a Cast back to float32 under the original name.
    private void StoreAsHalf(TensorProto tensor)
    {
        var values = MemoryMarshal.Cast<byte, float>(tensor.RawData.Span);
        var halves = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            halves[i] = (Half)values[i];
            if (Half.IsInfinity(halves[i]) && float.IsFinite(values[i]))
            {
                throw new InvalidOperationException($"'{tensor.Name}' holds {values[i]}, beyond float16's range.");
            }
        }

        _graph.Initializer.Remove(tensor);
        var name = UniqueName($"{tensor.Name}_half");
        var half = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float16, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(halves.AsSpan())) };
        half.Dims.AddRange(tensor.Dims);
        _graph.Initializer.Add(half);
        var cast = new NodeProto { OpType = "Cast", Name = $"Cast_{tensor.Name}" };
        cast.Input.Add(name);
        cast.Output.Add(tensor.Name);
        cast.Attribute.Add(OnnxAttribute.Int("to", (int)TensorProto.Types.DataType.Float).ToProto());
        _graph.Node.Insert(0, cast);
    }

    // The distinct values (by bit pattern, in ascending order of the bits) when there are at most 256; otherwise null.
    private static float[]? DistinctLevels(ReadOnlySpan<float> values)
    {
        var distinct = new HashSet<uint>();
        foreach (var value in values)
        {
            if (distinct.Add(BitConverter.SingleToUInt32Bits(value)) && distinct.Count > 256)
            {
                return null;
            }
        }

        return distinct.Order().Select(BitConverter.UInt32BitsToSingle).ToArray();
    }

    /// <summary>
    /// The graph wrapped in an ONNX model file: IR version, opset, producer (with this assembly's version) and
    /// <paramref name="metadata"/> as metadata properties, sorted by key.
    /// </summary>
    public byte[] ToModelBytes(IReadOnlyDictionary<string, string> metadata) => ToModel(metadata).ToByteArray();

    internal ModelProto ToModel(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = _graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value ?? "" });
        }

        return proto;
    }

    private string AddRawInitializer(string hint, TensorProto.Types.DataType type, ReadOnlySpan<byte> bytes, int count, long[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        var expected = dims.Aggregate(1L, (product, d) => product * d);
        if (dims.Any(d => d < 0) || expected != count)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", dims)}] does not hold {count} values.", nameof(dims));
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian.");
        }

        var name = UniqueName(hint);
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    private void Claim(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_values.Add(name))
        {
            throw new InvalidOperationException($"The value name '{name}' is already used.");
        }

        _reserved.Remove(name);
    }

    private void RequireValue(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_values.Contains(name))
        {
            throw new ArgumentException($"The graph has no value '{name}'.", nameof(name));
        }
    }

    private static ValueInfoProto ValueInfo(string name, IReadOnlyList<OnnxDimension>? shape)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float };
        if (shape is not null)
        {
            tensorType.Shape = new TensorShapeProto();
            foreach (var dimension in shape)
            {
                tensorType.Shape.Dim.Add(dimension.Parameter is null
                    ? new TensorShapeProto.Types.Dimension { DimValue = dimension.Value }
                    : new TensorShapeProto.Types.Dimension { DimParam = dimension.Parameter });
            }
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }

    private static string Sanitize(string hint)
    {
        var builder = new StringBuilder(hint.Length);
        foreach (var c in hint)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' ? c : '_');
        }

        return builder.Length > 0 ? builder.ToString() : "value";
    }
}
