using System.Runtime.InteropServices;
using System.Text;
using Face2Data.Training.Export.Onnx;
using Face2Data.Training.Runtime;
using Google.Protobuf;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Training.Export;

/// <summary>
/// Builds an ONNX graph (inference semantics, NCHW float32) from TorchSharp modules: weights become initializers,
/// every value gets a unique name, and <see cref="Add(nn.Module, string)"/> turns a module into nodes. Composite
/// modules implement <see cref="IOnnxExportable"/> and use the node helpers here for their joins.
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

    /// <summary>Adds a tensor as a constant (float32, or int64 for integer tensors) and returns its value name.</summary>
    public string AddInitializer(string hint, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var dense = tensor.detach().cpu().contiguous();
        var dims = dense.shape;
        if (dense.dtype == ScalarType.Int64)
        {
            return AddInitializer(hint, dense.data<long>().ToArray(), dims);
        }

        if (!dense.is_floating_point())
        {
            throw new NotSupportedException($"Cannot store a {dense.dtype} tensor as an ONNX initializer; use a floating or int64 tensor.");
        }

        return AddInitializer(hint, dense.to_type(ScalarType.Float32).data<float>().ToArray(), dims);
    }

    /// <summary>Adds float32 constants of the given shape (no dims: a scalar).</summary>
    public string AddInitializer(string hint, ReadOnlySpan<float> values, params long[] dims) =>
        AddRawInitializer(hint, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values), values.Length, dims);

    /// <summary>Adds int64 constants of the given shape (no dims: a scalar).</summary>
    public string AddInitializer(string hint, ReadOnlySpan<long> values, params long[] dims) =>
        AddRawInitializer(hint, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values), values.Length, dims);

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
    /// Adds a module's computation (inference mode) and returns its output value. Handles <see cref="IOnnxExportable"/>
    /// composites, Sequential (folding each Conv2d → BatchNorm2d pair), Conv2d, BatchNorm2d, ReLU, ReLU6, LeakyReLU,
    /// SiLU, Sigmoid, Hardswish, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d(1), Flatten(1, -1), Linear (2-D input), and
    /// Dropout/Dropout2d/Identity as pass-throughs.
    /// </summary>
    /// <exception cref="NotSupportedException">The module type (or one of its settings) has no ONNX translation here.</exception>
    public string Add(nn.Module module, string input)
    {
        ArgumentNullException.ThrowIfNull(module);
        RequireValue(input);
        return module switch
        {
            IOnnxExportable composite => composite.AddTo(this, input),
            Sequential sequential => AddSequential(sequential, input),
            Conv2d conv => AddConv(conv, input),
            BatchNorm norm => AddBatchNorm(norm, input),
            ReLU => Relu(input),
            ReLU6 => Clip(input, 0f, 6f),
            // TorchSharp 0.107's Hardtanh returns its input unchanged unless in-place; a Clip would not match it.
            Hardtanh => throw Unsupported(module, "TorchSharp's Hardtanh does not clamp (unless in-place), so no ONNX form matches it; use ReLU6"),
            LeakyReLU leaky => LeakyRelu(input, (float)leaky.negative_slope),
            SiLU => Mul(input, Sigmoid(input)),
            TorchSharp.Modules.Sigmoid => Sigmoid(input),
            Hardswish => HardSwish(input),
            MaxPool2d pool => MaxPool(input, Pair(pool.kernel_size, 1), Pair(pool.stride, pool.kernel_size), Pads(pool.padding), Pair(pool.dilation, 1), pool.ceil_mode),
            AvgPool2d pool => AddAvgPool(pool, input),
            AdaptiveAvgPool2d pool => AddAdaptiveAvgPool(pool, input),
            TorchSharp.Modules.Flatten flatten => AddFlatten(flatten, input),
            Linear linear => AddLinear(linear, input),
            Dropout or Dropout2d or TorchSharp.Modules.Identity => input,
            _ => throw Unsupported(module, "no ONNX translation for this module type; implement IOnnxExportable on composite modules"),
        };
    }

    /// <summary>
    /// A convolution followed by inference-mode batch normalization, folded into one Conv: the normalization's
    /// scale multiplies the kernel and its shift becomes the bias (computed in float64).
    /// </summary>
    public string ConvBatchNorm(Conv2d conv, BatchNorm norm, string input)
    {
        ArgumentNullException.ThrowIfNull(conv);
        ArgumentNullException.ThrowIfNull(norm);
        if (norm.num_features != conv.out_channels)
        {
            throw new ArgumentException($"BatchNorm2d has {norm.num_features} features but the Conv2d has {conv.out_channels} output channels.", nameof(norm));
        }

        RequireRunningStatistics(norm);
        string weight, bias;
        using (torch.NewDisposeScope())
        using (torch.no_grad())
        {
            var (scale, shift) = NormScaleShift(norm);
            var kernel = conv.weight!.detach().to_type(ScalarType.Float64) * scale.reshape(-1, 1, 1, 1);
            var convBias = conv.bias is null ? torch.zeros_like(shift) : conv.bias.detach().to_type(ScalarType.Float64);
            weight = AddInitializer("conv_bn_weight", kernel);
            bias = AddInitializer("conv_bn_bias", (convBias * scale).Plus(shift));
        }

        return AddConvNode(conv, input, weight, bias);
    }

    private string AddSequential(Sequential sequential, string input)
    {
        var children = sequential.children().ToList();
        var value = input;
        for (var i = 0; i < children.Count; i++)
        {
            if (children[i] is Conv2d conv && i + 1 < children.Count && children[i + 1] is BatchNorm norm
                && norm.num_features == conv.out_channels && norm.track_running_stats)
            {
                value = ConvBatchNorm(conv, norm, value);
                i++;
            }
            else
            {
                value = Add(children[i], value);
            }
        }

        return value;
    }

    private string AddConv(Conv2d conv, string input)
    {
        var weight = AddInitializer("conv_weight", conv.weight!);
        var bias = conv.bias is null ? null : AddInitializer("conv_bias", conv.bias);
        return AddConvNode(conv, input, weight, bias);
    }

    private string AddConvNode(Conv2d conv, string input, string weight, string? bias)
    {
        if (conv.transposed)
        {
            throw Unsupported(conv, "transposed convolution");
        }

        if (conv.padding_mode != PaddingModes.Zeros)
        {
            throw Unsupported(conv, $"padding mode {conv.padding_mode} (only zeros)");
        }

        var kernel = Pair(conv.kernel_size, 1);
        var dilation = Pair(conv.dilation, 1);
        long[] pads = conv.padding_type switch
        {
            Padding.Valid => [0, 0, 0, 0],
            Padding.Same => SamePads(kernel, dilation),
            _ => Pads(conv.padding),
        };
        return Conv(input, weight, bias, kernel, Pair(conv.stride, 1), pads, dilation, conv.groups);
    }

    private string AddBatchNorm(NormBase norm, string input)
    {
        RequireRunningStatistics(norm);
        string scale, shift, mean, variance;
        using (torch.NewDisposeScope())
        using (torch.no_grad())
        {
            var runningMean = norm.running_mean!;
            scale = AddInitializer("bn_scale", norm.weight is null ? torch.ones_like(runningMean) : norm.weight);
            shift = AddInitializer("bn_bias", norm.bias is null ? torch.zeros_like(runningMean) : norm.bias);
            mean = AddInitializer("bn_mean", runningMean);
            variance = AddInitializer("bn_var", norm.running_var!);
        }

        return BatchNormalization(input, scale, shift, mean, variance, (float)norm.eps);
    }

    private string AddAvgPool(AvgPool2d pool, string input)
    {
        if (pool.divisor_override is not null)
        {
            throw Unsupported(pool, "divisor_override");
        }

        return AveragePool(input, Pair(pool.kernel_size, 1), Pair(pool.stride, pool.kernel_size), Pads(pool.padding), pool.ceil_mode, pool.count_include_pad);
    }

    private string AddAdaptiveAvgPool(AdaptiveAvgPool2d pool, string input)
    {
        if (pool.output_size is null || pool.output_size.Any(s => s != 1))
        {
            throw Unsupported(pool, $"output size [{string.Join(", ", pool.output_size ?? [])}] (only 1, i.e. global average pooling)");
        }

        return GlobalAveragePool(input);
    }

    private string AddFlatten(TorchSharp.Modules.Flatten flatten, string input)
    {
        if (flatten.start_dim != 1 || flatten.end_dim != -1)
        {
            throw Unsupported(flatten, $"start_dim {flatten.start_dim}, end_dim {flatten.end_dim} (only 1, -1)");
        }

        return Flatten(input, 1);
    }

    private string AddLinear(Linear linear, string input)
    {
        var weight = AddInitializer("linear_weight", linear.weight!);
        var bias = linear.bias is null ? null : AddInitializer("linear_bias", linear.bias);
        return Gemm(input, weight, bias, transB: true);
    }

    private static (Tensor Scale, Tensor Shift) NormScaleShift(BatchNorm norm)
    {
        // Call inside a dispose scope and no_grad: y = (x - mean) / sqrt(var + eps) * gamma + beta = x * scale + shift.
        var mean = norm.running_mean!.to_type(ScalarType.Float64);
        var variance = norm.running_var!.to_type(ScalarType.Float64);
        var gamma = norm.weight is null ? torch.ones_like(mean) : norm.weight.detach().to_type(ScalarType.Float64);
        var beta = norm.bias is null ? torch.zeros_like(mean) : norm.bias.detach().to_type(ScalarType.Float64);
        var scale = gamma / torch.sqrt(variance.Plus(norm.eps));
        return (scale, beta - (mean * scale));
    }

    private static void RequireRunningStatistics(NormBase norm)
    {
        if (!norm.track_running_stats || norm.running_mean is null || norm.running_var is null)
        {
            throw Unsupported(norm, "no running statistics (it would normalize with batch statistics even in eval mode)");
        }
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

    // TorchSharp stores 2-D settings as one value (same for height and width) or two; null means "not given".
    private static long[] Pair(long[]? values, long fallback) => values switch
    {
        null or [] => [fallback, fallback],
        [var both] => [both, both],
        [var height, var width] => [height, width],
        _ => throw new NotSupportedException($"Expected one or two values for a 2-D setting, got {values.Length}."),
    };

    private static long[] Pair(long[]? values, long[]? fallback) => values is null or [] ? Pair(fallback, 1) : Pair(values, 1);

    private static long[] Pads(long[]? padding)
    {
        var pair = Pair(padding, 0);
        return [pair[0], pair[1], pair[0], pair[1]];
    }

    private static long[] SamePads(long[] kernel, long[] dilation)
    {
        // PyTorch puts the odd extra pixel of 'same' padding at the end (bottom, right).
        var totalHeight = dilation[0] * (kernel[0] - 1);
        var totalWidth = dilation[1] * (kernel[1] - 1);
        return [totalHeight / 2, totalWidth / 2, totalHeight - (totalHeight / 2), totalWidth - (totalWidth / 2)];
    }

    private static NotSupportedException Unsupported(nn.Module module, string what) =>
        new($"ONNX export does not support {module.GetType().Name} ({module.GetType().FullName}): {what}.");

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
