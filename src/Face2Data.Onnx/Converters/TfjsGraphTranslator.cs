using System.Text;

namespace Face2Data.Onnx.Converters;

/// <summary>
/// The operator-by-operator translation behind <see cref="TfjsGraphConverter"/>: walks the TensorFlow.js nodes in
/// order and adds ONNX nodes, keeping rank-4 values NCHW where it can (see the converter's remarks).
/// </summary>
internal sealed class TfjsGraphTranslator
{
    private static readonly long[] ToNhwc = [0, 2, 3, 1];
    private static readonly long[] ToNchwPerm = [0, 3, 1, 2];

    private readonly OnnxGraphBuilder _graph;
    private readonly TfjsGraphModel _model;
    private readonly TfjsGraphConverterOptions _options;
    private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _native = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _nchw = new(StringComparer.Ordinal);

    public TfjsGraphTranslator(OnnxGraphBuilder graph, TfjsGraphModel model, TfjsGraphConverterOptions options)
    {
        _graph = graph;
        _model = model;
        _options = options;
    }

    /// <summary>
    /// A TensorFlow value: the ONNX value holding it (empty for a constant not yet written), its rank, whether a rank-4
    /// value is held NCHW, whether it holds integers (int64 in ONNX), its constant when it is one, and the length of a
    /// rank-1 integer vector when known.
    /// </summary>
    private sealed record Value(string Name, int Rank, bool Nchw, bool IsInt, TfjsTensor? Constant = null, int? Length = null);

    public void Translate()
    {
        var outputs = _model.Outputs.Select(o => (Node: o, Name: Sanitize(o))).ToList();
        foreach (var (_, name) in outputs)
        {
            _graph.Reserve(name);
        }

        var values = TranslateNodes();
        foreach (var (node, name) in outputs)
        {
            _graph.Identity(values[node], name);
            _graph.AddOutput(name, null);
        }
    }

    /// <summary>
    /// Adds every node and returns the ONNX value (float, TensorFlow's layout) of each output node, declaring no graph
    /// outputs: for a caller that puts its own heads after the network.
    /// </summary>
    public IReadOnlyDictionary<string, string> TranslateNodes()
    {
        foreach (var node in _model.Nodes)
        {
            try
            {
                _values[node.Name] = Translate(node);
            }
            catch (InvalidDataException)
            {
                throw;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException)
            {
                throw new InvalidDataException($"Cannot convert node '{node.Name}' ({node.Op}): {ex.Message}", ex);
            }
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in _model.Outputs)
        {
            var value = Get(node, node);
            if (value.Constant is not null || value.IsInt)
            {
                throw new InvalidDataException($"The output '{node}' is a constant or holds integers; only float outputs are supported.");
            }

            result[node] = Native(value);
        }

        return result;
    }

    private Value Translate(TfjsNode node)
    {
        if (!TfjsGraphConverter.SupportedOperators.Contains(node.Op))
        {
            throw new InvalidDataException($"Unsupported TensorFlow operator '{node.Op}' at node '{node.Name}'. Supported: {string.Join(", ", TfjsGraphConverter.SupportedOperators.Order(StringComparer.Ordinal))}.");
        }

        Value Input(int i) => i < node.Inputs.Count
            ? Get(node.Inputs[i], node.Name)
            : throw new InvalidDataException($"Node '{node.Name}' ({node.Op}) has {node.Inputs.Count} inputs; expected at least {i + 1}.");

        switch (node.Op)
        {
            case "Const":
                var constant = _model.Weights.TryGetValue(node.Name, out var tensor)
                    ? tensor
                    : throw new InvalidDataException($"Constant '{node.Name}' has no values in the weights manifest.");
                return new Value("", constant.Shape.Length, false, constant.IsInt, constant, constant.Shape.Length == 1 ? constant.Count : null);
            case "Placeholder":
                return Placeholder(node);
            case "Identity":
                return Input(0);
            case "Conv2D":
            case "_FusedConv2D":
            case "DepthwiseConv2dNative":
            case "FusedDepthwiseConv2dNative":
                return Convolution(node, Input(0), Input(1), node.Inputs.Skip(2).Select(i => Get(i, node.Name)).ToList());
            case "BiasAdd":
            case "Add":
            case "AddV2":
                return Binary("Add", Input(0), Input(1));
            case "Sub":
                return Binary("Sub", Input(0), Input(1));
            case "Mul":
                return Binary("Mul", Input(0), Input(1));
            case "RealDiv":
                return Binary("Div", Input(0), Input(1));
            case "Maximum":
                return Binary("Max", Input(0), Input(1));
            case "Minimum":
                return Binary("Min", Input(0), Input(1));
            case "Relu":
            case "Relu6":
            case "Elu":
            case "Sigmoid":
            case "Tanh":
            case "LeakyRelu":
                var x = Input(0);
                return x with { Name = Activation(node.Op, Stored(x), x, null, node.Float("alpha", 0.2f)), Constant = null };
            case "Prelu":
                var y = Input(0);
                return y with { Name = Activation("Prelu", Stored(y), y, Input(1), 0), Constant = null };
            case "MaxPool":
            case "AvgPool":
                return Pool(node, Input(0));
            case "Pad":
            case "PadV2":
                return Pad(node, Input(0), Input(1), node.Op == "PadV2" ? Input(2) : null);
            case "Reshape":
                return Reshape(node, Input(0), Input(1));
            case "Shape":
                return ShapeOf(Input(0));
            case "StridedSlice":
                return StridedSlice(node, Input(0), Input(1), Input(2), Input(3));
            case "Pack":
                return Pack(node, node.Inputs.Select(i => Get(i, node.Name)).ToList());
            case "ConcatV2":
                return Concat(node, node.Inputs.Take(node.Inputs.Count - 1).Select(i => Get(i, node.Name)).ToList(), Input(node.Inputs.Count - 1));
            case "ResizeBilinear":
            case "ResizeNearestNeighbor":
                return Resize(node, Input(0), Input(1));
            case "DepthToSpace":
                return DepthToSpace(node, Input(0));
            case "Max":
            case "Mean":
                return Reduce(node, Input(0), Input(1));
            case "_FusedMatMul":
            case "MatMul":
                return MatMul(node, Input(0), Input(1), node.Inputs.Skip(2).Select(i => Get(i, node.Name)).ToList());
            case "Softmax":
                var logits = Input(0);
                return new Value(_graph.Node("Softmax", [Native(logits)], [OnnxAttribute.Int("axis", -1)]), logits.Rank, false, false);
            default:
                throw new InvalidDataException($"Unsupported TensorFlow operator '{node.Op}' at node '{node.Name}'.");
        }
    }

    private Value Get(string name, string reader) =>
        _values.TryGetValue(name, out var value)
            ? value
            : throw new InvalidDataException($"Node '{reader}' reads '{name}', which no earlier node defines.");

    private Value Placeholder(TfjsNode node)
    {
        if (node.Attributes.TryGetValue("dtype", out var dtype) && dtype.TryGetProperty("type", out var t) && t.GetString() != "DT_FLOAT")
        {
            throw new InvalidDataException($"Placeholder '{node.Name}' is {t.GetString()}; only float inputs are supported.");
        }

        var dims = node.Attributes.TryGetValue("shape", out var shape) && shape.TryGetProperty("shape", out var s) && s.TryGetProperty("dim", out var d)
            ? d.EnumerateArray().Select(e => e.TryGetProperty("size", out var size) ? long.Parse(size.ToString(), System.Globalization.CultureInfo.InvariantCulture) : -1).ToArray()
            : throw new InvalidDataException($"Placeholder '{node.Name}' has no shape.");
        if (dims.Length != 4)
        {
            throw new InvalidDataException($"Placeholder '{node.Name}' has rank {dims.Length}; only NHWC image inputs (rank 4) are supported.");
        }

        var gray = _options.GrayscaleWeights;
        if (gray is not null)
        {
            if (gray.Count != 3)
            {
                throw new ArgumentException($"Grayscale weights are one per colour channel (R, G, B): {gray.Count} given.");
            }

            if (dims[3] != 1)
            {
                throw new InvalidDataException($"Placeholder '{node.Name}' has {dims[3]} channels; grayscale weights need a one-channel input and three weights.");
            }

            dims[3] = 3;
        }

        string[] parameters = ["N", "H", "W", "C"];
        var nchw = new[] { 0, 3, 1, 2 }.Select(i => dims[i] > 0 ? OnnxDimension.Fixed(dims[i]) : OnnxDimension.Dynamic(parameters[i])).ToList();
        var input = _graph.AddInput(_options.InputName ?? Sanitize(node.Name), nchw);
        if (_options.InputScale != 1f)
        {
            input = _graph.Mul(input, _graph.AddInitializer("input_scale", [_options.InputScale]));
        }

        if (_options.InputOffset != 0f)
        {
            input = _graph.Add(input, _graph.AddInitializer("input_offset", [_options.InputOffset]));
        }

        if (_options.ReverseChannels)
        {
            input = _graph.Node("Gather", [input, _graph.AddInitializer("bgr_order", [2L, 1L, 0L], 3)], [OnnxAttribute.Int("axis", 1)]);
        }

        if (gray is not null)
        {
            // A 1×1 convolution from three channels to one: the weighted sum of R, G and B.
            var weights = _graph.AddInitializer("grayscale_weights", gray.ToArray(), 1, 3, 1, 1);
            input = _graph.Conv(input, weights, null, [1, 1], [1, 1], [0, 0, 0, 0], [1, 1]);
        }

        return new Value(input, 4, true, false);
    }

    private Value Convolution(TfjsNode node, Value input, Value filter, List<Value> args)
    {
        var weights = filter.Constant ?? throw new InvalidDataException($"Node '{node.Name}': the filter must be a constant.");
        RequireNhwc(node);
        if (weights.Shape.Length != 4 || input.Rank != 4)
        {
            throw new InvalidDataException($"Node '{node.Name}': expected a rank-4 input and filter.");
        }

        var depthwise = node.Op.Contains("Depthwise", StringComparison.Ordinal);
        var (kh, kw, cin, cout) = (weights.Shape[0], weights.Shape[1], weights.Shape[2], weights.Shape[3]);
        var onnxWeight = depthwise ? DepthwiseWeight(weights) : TfjsWeights.ToOnnxConvWeight(new TfWeight(weights.Name, weights.Shape, Floats(weights)));
        var w = depthwise
            ? _graph.AddInitializer(weights.Name, onnxWeight, (long)cin * cout, 1, kh, kw)
            : _graph.AddInitializer(weights.Name, onnxWeight, cout, cin, kh, kw);
        var attributes = new List<OnnxAttribute>
        {
            OnnxAttribute.Ints("kernel_shape", kh, kw),
            OnnxAttribute.Ints("strides", Spatial(node.Ints("strides"), node, "strides")),
            OnnxAttribute.Ints("dilations", Spatial(node.Ints("dilations"), node, "dilations")),
            OnnxAttribute.Int("group", depthwise ? cin : 1),
        };
        attributes.Add(Padding(node));

        var fused = node.Strings("fused_ops");
        string? bias = null;
        var next = 0;
        if (fused.Length > 0 && fused[0] == "BiasAdd")
        {
            bias = _graph.AddInitializer($"{weights.Name}_bias", Floats(Constant(args, 0, node)), depthwise ? (long)cin * cout : cout);
            next = 1;
        }

        var output = _graph.Node("Conv", bias is null ? [Nchw(input), w] : [Nchw(input), w, bias], attributes);
        var result = new Value(output, 4, true, false);
        foreach (var op in fused.Skip(next))
        {
            if (op is "BiasAdd" or "FusedBatchNorm")
            {
                throw new InvalidDataException($"Node '{node.Name}': fused operation '{op}' after the first is not supported.");
            }

            var alpha = op == "Prelu" ? (args.Count > next ? args[next] : throw new InvalidDataException($"Node '{node.Name}': Prelu without its alpha.")) : null;
            output = Activation(op, output, result, alpha, node.Float("leakyrelu_alpha", 0.2f));
            result = result with { Name = output };
        }

        return result;
    }

    // A fused or plain activation on `stored`, the ONNX value of `like` (whose layout it keeps).
    private string Activation(string op, string stored, Value like, Value? alpha, float leak) => op switch
    {
        "Relu" => _graph.Relu(stored),
        "Relu6" => _graph.Clip(stored, 0, 6),
        "Elu" => _graph.Node("Elu", [stored], [OnnxAttribute.Float("alpha", 1f)]),
        "Sigmoid" => _graph.Sigmoid(stored),
        "Tanh" => _graph.Node("Tanh", [stored]),
        "LeakyRelu" => _graph.LeakyRelu(stored, leak),
        "Prelu" => _graph.Node("PRelu", [stored, BroadcastConstant(alpha!, like)]),
        _ => throw new InvalidDataException($"Unsupported fused activation '{op}'."),
    };

    private Value Binary(string op, Value a, Value b)
    {
        if (a.Constant is not null && b.Constant is not null)
        {
            throw new InvalidDataException("Both operands are constants; constant folding is not supported.");
        }

        var isInt = a.IsInt && b.IsInt;
        var rank = Math.Max(a.Rank, b.Rank);
        var nchw = (a.Constant is null && a.Nchw) || (b.Constant is null && b.Nchw);
        if (nchw && (a.Constant is not null || a.Rank == 4) && (b.Constant is not null || b.Rank == 4))
        {
            var left = a.Constant is not null ? BroadcastConstant(a, b) : Nchw(a);
            var right = b.Constant is not null ? BroadcastConstant(b, a) : Nchw(b);
            return new Value(_graph.Node(op, [left, right]), 4, true, false);
        }

        return new Value(_graph.Node(op, [Native(a), Native(b)]), rank, false, isInt);
    }

    private Value Pool(TfjsNode node, Value input)
    {
        RequireNhwc(node);
        var kernel = Spatial(node.Ints("ksize"), node, "ksize");
        var attributes = new List<OnnxAttribute>
        {
            OnnxAttribute.Ints("kernel_shape", kernel),
            OnnxAttribute.Ints("strides", Spatial(node.Ints("strides"), node, "strides")),
            Padding(node),
        };
        if (node.Op == "AvgPool")
        {
            attributes.Add(OnnxAttribute.Int("count_include_pad", 0));
        }

        return new Value(_graph.Node(node.Op == "MaxPool" ? "MaxPool" : "AveragePool", [Nchw(input)], attributes), 4, true, false);
    }

    private Value Pad(TfjsNode node, Value input, Value paddings, Value? fill)
    {
        var p = paddings.Constant ?? throw new InvalidDataException($"Node '{node.Name}': paddings must be a constant.");
        var rank = input.Rank;
        if (p.Count != 2 * rank)
        {
            throw new InvalidDataException($"Node '{node.Name}': {p.Count} padding values for rank {rank}.");
        }

        var order = rank == 4 && input.Nchw ? ToNchwPerm : Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
        var pads = order.Select(a => (long)p.At((int)a * 2)).Concat(order.Select(a => (long)p.At(((int)a * 2) + 1))).ToArray();
        var value = fill?.Constant is { } f ? (float)f.At(0) : 0f;
        var stored = rank == 4 && input.Nchw ? Nchw(input) : Native(input);
        var output = _graph.Node("Pad", [stored, _graph.AddInitializer("pads", pads, pads.Length), _graph.AddInitializer("pad_value", [value])],
            [OnnxAttribute.String("mode", "constant")]);
        return input with { Name = output, Constant = null, Nchw = rank == 4 && input.Nchw };
    }

    private Value Reshape(TfjsNode node, Value input, Value shape)
    {
        int rank;
        string shapeName;
        if (shape.Constant is { } constant)
        {
            rank = constant.Count;
            shapeName = _graph.AddInitializer("shape", Enumerable.Range(0, constant.Count).Select(i => (long)constant.At(i)).ToArray(), constant.Count);
        }
        else
        {
            rank = shape.Length ?? throw new InvalidDataException($"Node '{node.Name}': the length of the computed shape is unknown.");
            shapeName = shape.Name;
        }

        return new Value(_graph.Node("Reshape", [Native(input), shapeName]), rank, false, input.IsInt);
    }

    private Value ShapeOf(Value input)
    {
        if (input.Constant is not null)
        {
            throw new InvalidDataException("Shape of a constant is not supported.");
        }

        var shape = _graph.Node("Shape", [Stored(input)]);
        if (input.Rank == 4 && input.Nchw)
        {
            shape = _graph.Node("Gather", [shape, _graph.AddInitializer("nhwc_order", ToNhwc, 4)], [OnnxAttribute.Int("axis", 0)]);
        }

        return new Value(shape, 1, false, true, null, input.Rank);
    }

    private Value StridedSlice(TfjsNode node, Value input, Value beginValue, Value endValue, Value stridesValue)
    {
        if (node.Int("ellipsis_mask", 0) != 0 || node.Int("new_axis_mask", 0) != 0)
        {
            throw new InvalidDataException($"Node '{node.Name}': StridedSlice with an ellipsis or new axes is not supported.");
        }

        var begin = beginValue.Constant ?? throw new InvalidDataException($"Node '{node.Name}': begin must be a constant.");
        var end = endValue.Constant ?? throw new InvalidDataException($"Node '{node.Name}': end must be a constant.");
        var strides = stridesValue.Constant ?? throw new InvalidDataException($"Node '{node.Name}': strides must be a constant.");
        var (beginMask, endMask, shrinkMask) = (node.Int("begin_mask", 0), node.Int("end_mask", 0), node.Int("shrink_axis_mask", 0));
        var n = begin.Count;
        var starts = new long[n];
        var ends = new long[n];
        var steps = new long[n];
        var shrink = new List<long>();
        for (var i = 0; i < n; i++)
        {
            steps[i] = (long)strides.At(i);
            var forward = steps[i] > 0;
            starts[i] = (beginMask >> i & 1) != 0 ? (forward ? 0 : long.MaxValue) : (long)begin.At(i);
            ends[i] = (endMask >> i & 1) != 0 ? (forward ? long.MaxValue : long.MinValue) : (long)end.At(i);
            if ((shrinkMask >> i & 1) != 0)
            {
                ends[i] = starts[i] == -1 ? long.MaxValue : starts[i] + 1;
                steps[i] = 1;
                shrink.Add(i);
            }
        }

        var axes = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        var sliced = _graph.Node("Slice",
        [
            Native(input), _graph.AddInitializer("starts", starts, n), _graph.AddInitializer("ends", ends, n),
            _graph.AddInitializer("axes", axes, n), _graph.AddInitializer("steps", steps, n),
        ]);
        if (shrink.Count > 0)
        {
            sliced = _graph.Node("Squeeze", [sliced, _graph.AddInitializer("squeeze_axes", shrink.ToArray(), shrink.Count)]);
        }

        var rank = input.Rank - shrink.Count;
        int? length = null;
        if (rank == 1 && input.Rank == 1 && input.Length is { } inLength && shrink.Count == 0 && steps[0] == 1)
        {
            long Clamp(long v, bool isEnd) => v == long.MaxValue ? inLength : Math.Clamp(v < 0 ? v + inLength : v, 0, inLength);
            length = (int)Math.Max(0, Clamp(ends[0], true) - Clamp(starts[0], false));
        }

        return new Value(sliced, rank, false, input.IsInt, null, length);
    }

    private Value Pack(TfjsNode node, List<Value> inputs)
    {
        var rank = inputs[0].Rank;
        var axis = node.Int("axis", 0);
        axis = axis < 0 ? axis + rank + 1 : axis;
        var isInt = inputs.All(i => i.IsInt);
        var parts = inputs.Select(v =>
        {
            if (v.Constant is { } c)
            {
                var dims = c.Shape.Select(d => (long)d).ToList();
                dims.Insert((int)axis, 1);
                return isInt
                    ? _graph.AddInitializer("pack_part", Enumerable.Range(0, c.Count).Select(i => (long)c.At(i)).ToArray(), dims.ToArray())
                    : _graph.AddInitializer("pack_part", Floats(c), dims.ToArray());
            }

            return _graph.Node("Unsqueeze", [Native(v), _graph.AddInitializer("unsqueeze_axes", [axis], 1)]);
        }).ToList();
        return new Value(_graph.Concat(parts, axis), rank + 1, false, isInt, null, rank == 0 ? inputs.Count : null);
    }

    private Value Concat(TfjsNode node, List<Value> inputs, Value axisValue)
    {
        var rank = inputs.First(i => i.Constant is null).Rank;
        var axis = (long)(axisValue.Constant ?? throw new InvalidDataException($"Node '{node.Name}': the axis must be a constant.")).At(0);
        axis = axis < 0 ? axis + rank : axis;
        var isInt = inputs.All(i => i.IsInt);
        if (rank == 4 && inputs.Any(i => i.Constant is null && i.Nchw) && inputs.All(i => i.Constant is null))
        {
            var nchwAxis = Array.IndexOf(ToNchwPerm, axis);
            return new Value(_graph.Concat(inputs.Select(Nchw).ToList(), nchwAxis), 4, true, false);
        }

        int? length = rank == 1 && inputs.All(i => i.Length is not null) ? inputs.Sum(i => i.Length!.Value) : null;
        return new Value(_graph.Concat(inputs.Select(Native).ToList(), axis), rank, false, isInt, null, length);
    }

    private Value Resize(TfjsNode node, Value input, Value size)
    {
        var alignCorners = node.Bool("align_corners");
        var halfPixel = node.Bool("half_pixel_centers");
        var linear = node.Op == "ResizeBilinear";
        var x = Nchw(input);
        var batchAndChannels = _graph.Node("Slice",
            [_graph.Node("Shape", [x]), _graph.AddInitializer("starts", [0L], 1), _graph.AddInitializer("ends", [2L], 1)]);
        var hw = size.Constant is { } c
            ? _graph.AddInitializer("size", [(long)c.At(0), (long)c.At(1)], 2)
            : Native(size);
        var sizes = _graph.Concat([batchAndChannels, hw], 0);
        var mode = alignCorners ? "align_corners" : halfPixel ? (linear ? "half_pixel" : "tf_half_pixel_for_nn") : "asymmetric";
        var attributes = new List<OnnxAttribute>
        {
            OnnxAttribute.String("mode", linear ? "linear" : "nearest"),
            OnnxAttribute.String("coordinate_transformation_mode", mode),
        };
        if (!linear)
        {
            attributes.Add(OnnxAttribute.String("nearest_mode", alignCorners ? "round_prefer_ceil" : "floor"));
        }

        return new Value(_graph.Node("Resize", [x, "", "", sizes], attributes), 4, true, false);
    }

    private Value DepthToSpace(TfjsNode node, Value input)
    {
        RequireNhwc(node);
        // TensorFlow's NHWC depth-to-space reads channel (by · b + bx) · C + c: ONNX's DCR order.
        var output = _graph.Node("DepthToSpace", [Nchw(input)], [OnnxAttribute.Int("blocksize", node.Int("block_size", 2)), OnnxAttribute.String("mode", "DCR")]);
        return new Value(output, 4, true, false);
    }

    // TensorFlow's Max and Mean over constant axes. An NCHW image keeps NCHW when the dimensions kept stay in
    // TensorFlow's order there (keep_dims, or reducing a spatial pair such as global pooling); otherwise it is
    // reduced in NHWC.
    private Value Reduce(TfjsNode node, Value input, Value axesValue)
    {
        var axesConstant = axesValue.Constant ?? throw new InvalidDataException($"Node '{node.Name}': the reduction axes must be a constant.");
        if (input.Constant is not null || input.IsInt)
        {
            throw new InvalidDataException($"Node '{node.Name}': only float, non-constant values are reduced.");
        }

        var rank = input.Rank;
        var axes = Enumerable.Range(0, axesConstant.Count).Select(i => (long)axesConstant.At(i)).Select(a => a < 0 ? a + rank : a).Distinct().Order().ToArray();
        var keep = node.Bool("keep_dims");
        var op = node.Op == "Max" ? "ReduceMax" : "ReduceMean";
        var kept = Enumerable.Range(0, rank).Select(a => (long)a).Where(a => !axes.Contains(a)).ToArray();
        if (rank == 4 && input.Nchw && (keep || kept.SequenceEqual(ToNchwPerm.Where(a => !axes.Contains(a)))))
        {
            var nchwAxes = axes.Select(a => (long)Array.IndexOf(ToNchwPerm, a)).Order().ToArray();
            var reduced = _graph.Node(op, [Nchw(input)], [OnnxAttribute.Ints("axes", nchwAxes), OnnxAttribute.Int("keepdims", keep ? 1 : 0)]);
            return new Value(reduced, keep ? 4 : kept.Length, keep, false);
        }

        var output = _graph.Node(op, [Native(input)], [OnnxAttribute.Ints("axes", axes), OnnxAttribute.Int("keepdims", keep ? 1 : 0)]);
        return new Value(output, keep ? rank : kept.Length, false, false);
    }

    // MatMul and _FusedMatMul (BiasAdd, then an activation) of rank-2 values, as ONNX Gemm (transposes as attributes).
    private Value MatMul(TfjsNode node, Value a, Value b, List<Value> args)
    {
        if (a.Rank != 2 || b.Rank != 2)
        {
            throw new InvalidDataException($"Node '{node.Name}': only rank-2 matrix products are supported (got ranks {a.Rank} and {b.Rank}).");
        }

        var inputs = new List<string> { Native(a), Native(b) };
        var fused = node.Strings("fused_ops");
        var next = 0;
        if (fused.Length > 0 && fused[0] == "BiasAdd")
        {
            inputs.Add(Stored(args.Count > 0 ? args[0] : throw new InvalidDataException($"Node '{node.Name}': BiasAdd without its bias.")));
            next = 1;
        }

        var output = _graph.Node("Gemm", inputs,
            [OnnxAttribute.Int("transA", node.Bool("transpose_a") ? 1 : 0), OnnxAttribute.Int("transB", node.Bool("transpose_b") ? 1 : 0)]);
        var value = new Value(output, 2, false, false);
        for (var i = next; i < fused.Length; i++)
        {
            var alpha = fused[i] == "Prelu" ? (args.Count > next ? args[next] : throw new InvalidDataException($"Node '{node.Name}': Prelu without its alpha.")) : null;
            value = value with { Name = Activation(fused[i], value.Name, value, alpha, node.Float("leakyrelu_alpha", 0.2f)) };
        }

        return value;
    }

    private OnnxAttribute Padding(TfjsNode node)
    {
        var padding = node.String("padding", "VALID");
        switch (padding)
        {
            case "SAME":
                return OnnxAttribute.String("auto_pad", "SAME_UPPER");
            case "VALID":
                return OnnxAttribute.String("auto_pad", "VALID");
            case "EXPLICIT":
                var p = node.Ints("explicit_paddings");
                if (p.Length != 8)
                {
                    throw new InvalidDataException($"Node '{node.Name}': explicit_paddings has {p.Length} values; expected 8.");
                }

                return OnnxAttribute.Ints("pads", p[2], p[4], p[3], p[5]);
            default:
                throw new InvalidDataException($"Node '{node.Name}': padding '{padding}' is not supported.");
        }
    }

    private static long[] Spatial(long[] nhwc, TfjsNode node, string name) =>
        nhwc.Length switch
        {
            0 => [1, 1],
            4 => [nhwc[1], nhwc[2]],
            _ => throw new InvalidDataException($"Node '{node.Name}': {name} has {nhwc.Length} values; expected 4 (NHWC)."),
        };

    private static void RequireNhwc(TfjsNode node)
    {
        var format = node.String("data_format", "NHWC");
        if (format != "NHWC")
        {
            throw new InvalidDataException($"Node '{node.Name}': data_format '{format}' is not supported (NHWC only).");
        }
    }

    private static TfjsTensor Constant(List<Value> args, int index, TfjsNode node) =>
        index < args.Count && args[index].Constant is { } c ? c : throw new InvalidDataException($"Node '{node.Name}': fused argument {index} must be a constant.");

    // TensorFlow depthwise [kh, kw, in, multiplier] → ONNX grouped [in × multiplier, 1, kh, kw]; output channel
    // i × multiplier + q, as TensorFlow numbers them.
    private static float[] DepthwiseWeight(TfjsTensor weights)
    {
        var (kh, kw, cin, multiplier) = (weights.Shape[0], weights.Shape[1], weights.Shape[2], weights.Shape[3]);
        var values = Floats(weights);
        var result = new float[values.Length];
        for (var y = 0; y < kh; y++)
        {
            for (var x = 0; x < kw; x++)
            {
                for (var i = 0; i < cin; i++)
                {
                    for (var q = 0; q < multiplier; q++)
                    {
                        result[((((i * multiplier) + q) * kh) + y) * kw + x] = values[((((y * kw) + x) * cin) + i) * multiplier + q];
                    }
                }
            }
        }

        return result;
    }

    private static float[] Floats(TfjsTensor tensor) => tensor.Floats ?? tensor.Ints!.Select(i => (float)i).ToArray();

    // A constant broadcast against `like`: for an NCHW rank-4 value its NHWC shape (padded with leading ones) is
    // transposed to NCHW; otherwise it is written as it is.
    private string BroadcastConstant(Value constant, Value like)
    {
        var c = constant.Constant ?? throw new InvalidDataException("Expected a constant operand.");
        if (!(like.Rank == 4 && like.Nchw && like.Constant is null))
        {
            return Stored(constant);
        }

        if (c.Shape.Length > 4)
        {
            throw new InvalidDataException($"Constant '{c.Name}' has rank {c.Shape.Length}; cannot broadcast it against an image.");
        }

        var dims = Enumerable.Repeat(1, 4 - c.Shape.Length).Concat(c.Shape).ToArray();
        var (n, h, w, ch) = (dims[0], dims[1], dims[2], dims[3]);
        var values = new float[c.Count];
        for (var b = 0; b < n; b++)
        {
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    for (var k = 0; k < ch; k++)
                    {
                        values[(((b * ch) + k) * h + y) * w + x] = (float)c.At((((b * h) + y) * w + x) * ch + k);
                    }
                }
            }
        }

        return _graph.AddInitializer($"{c.Name}_nchw", values, n, ch, h, w);
    }

    // The ONNX value as it is held (constants written in TensorFlow's layout).
    private string Stored(Value value)
    {
        if (value.Constant is not { } c)
        {
            return value.Name;
        }

        var key = "const:" + c.Name;
        if (!_native.TryGetValue(key, out var name))
        {
            var dims = c.Shape.Select(d => (long)d).ToArray();
            name = c.IsInt
                ? _graph.AddInitializer(c.Name, c.Ints!.Select(i => (long)i).ToArray(), dims)
                : _graph.AddInitializer(c.Name, c.Floats!, dims);
            _native[key] = name;
        }

        return name;
    }

    private string Native(Value value)
    {
        if (value.Constant is not null || !(value.Rank == 4 && value.Nchw))
        {
            return Stored(value);
        }

        if (!_native.TryGetValue(value.Name, out var name))
        {
            name = _graph.Node("Transpose", [value.Name], [OnnxAttribute.Ints("perm", ToNhwc)]);
            _native[value.Name] = name;
        }

        return name;
    }

    private string Nchw(Value value)
    {
        if (value.Rank != 4)
        {
            throw new InvalidDataException($"Expected a rank-4 image value, got rank {value.Rank}.");
        }

        if (value.Nchw && value.Constant is null)
        {
            return value.Name;
        }

        var stored = Stored(value);
        if (!_nchw.TryGetValue(stored, out var name))
        {
            name = _graph.Node("Transpose", [stored], [OnnxAttribute.Ints("perm", ToNchwPerm)]);
            _nchw[stored] = name;
        }

        return name;
    }

    private static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' ? c : '_');
        }

        return builder.Length > 0 ? builder.ToString() : "value";
    }
}
