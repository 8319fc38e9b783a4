using Face2Data.Onnx;
using Face2Data.Training.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Training.Export;

/// <summary>
/// Translates TorchSharp modules (inference mode) into nodes of an <see cref="OnnxGraphBuilder"/>: weights become
/// initializers and <see cref="Add(OnnxGraphBuilder, nn.Module, string)"/> turns a module into nodes. Composite
/// modules implement <see cref="IOnnxExportable"/> and use the builder's node helpers for their joins.
/// </summary>
public static class OnnxModuleTranslation
{
    /// <summary>
    /// Adds a module's computation (inference mode) and returns its output value. Handles <see cref="IOnnxExportable"/>
    /// composites, Sequential (folding each Conv2d → BatchNorm2d pair), Conv2d, BatchNorm2d, ReLU, ReLU6, LeakyReLU,
    /// SiLU, Sigmoid, Hardswish, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d(1), Flatten(1, -1), Linear (2-D input), and
    /// Dropout/Dropout2d/Identity as pass-throughs.
    /// </summary>
    /// <exception cref="NotSupportedException">The module type (or one of its settings) has no ONNX translation here.</exception>
    public static string Add(this OnnxGraphBuilder graph, nn.Module module, string input)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(input);
        if (!graph.HasValue(input))
        {
            throw new ArgumentException($"The graph has no value '{input}'.", nameof(input));
        }

        return module switch
        {
            IOnnxExportable composite => composite.AddTo(graph, input),
            Sequential sequential => AddSequential(graph, sequential, input),
            Conv2d conv => AddConv(graph, conv, input),
            BatchNorm norm => AddBatchNorm(graph, norm, input),
            ReLU => graph.Relu(input),
            ReLU6 => graph.Clip(input, 0f, 6f),
            // TorchSharp 0.107's Hardtanh returns its input unchanged unless in-place; a Clip would not match it.
            Hardtanh => throw Unsupported(module, "TorchSharp's Hardtanh does not clamp (unless in-place), so no ONNX form matches it; use ReLU6"),
            LeakyReLU leaky => graph.LeakyRelu(input, (float)leaky.negative_slope),
            SiLU => graph.Mul(input, graph.Sigmoid(input)),
            TorchSharp.Modules.Sigmoid => graph.Sigmoid(input),
            Hardswish => graph.HardSwish(input),
            MaxPool2d pool => graph.MaxPool(input, Pair(pool.kernel_size, 1), Pair(pool.stride, pool.kernel_size), Pads(pool.padding), Pair(pool.dilation, 1), pool.ceil_mode),
            AvgPool2d pool => AddAvgPool(graph, pool, input),
            AdaptiveAvgPool2d pool => AddAdaptiveAvgPool(graph, pool, input),
            TorchSharp.Modules.Flatten flatten => AddFlatten(graph, flatten, input),
            Linear linear => AddLinear(graph, linear, input),
            Dropout or Dropout2d or TorchSharp.Modules.Identity => input,
            _ => throw Unsupported(module, "no ONNX translation for this module type; implement IOnnxExportable on composite modules"),
        };
    }

    /// <summary>
    /// A convolution followed by inference-mode batch normalization, folded into one Conv: the normalization's
    /// scale multiplies the kernel and its shift becomes the bias (computed in float64).
    /// </summary>
    public static string ConvBatchNorm(this OnnxGraphBuilder graph, Conv2d conv, BatchNorm norm, string input)
    {
        ArgumentNullException.ThrowIfNull(graph);
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
            weight = graph.AddInitializer("conv_bn_weight", kernel);
            bias = graph.AddInitializer("conv_bn_bias", (convBias * scale).Plus(shift));
        }

        return AddConvNode(graph, conv, input, weight, bias);
    }

    /// <summary>Adds a tensor as a constant (float32, or int64 for integer tensors) and returns its value name.</summary>
    public static string AddInitializer(this OnnxGraphBuilder graph, string hint, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(tensor);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var dense = tensor.detach().cpu().contiguous();
        var dims = dense.shape;
        if (dense.dtype == ScalarType.Int64)
        {
            return graph.AddInitializer(hint, dense.data<long>().ToArray(), dims);
        }

        if (!dense.is_floating_point())
        {
            throw new NotSupportedException($"Cannot store a {dense.dtype} tensor as an ONNX initializer; use a floating or int64 tensor.");
        }

        return graph.AddInitializer(hint, dense.to_type(ScalarType.Float32).data<float>().ToArray(), dims);
    }

    private static string AddSequential(OnnxGraphBuilder graph, Sequential sequential, string input)
    {
        var children = sequential.children().ToList();
        var value = input;
        for (var i = 0; i < children.Count; i++)
        {
            if (children[i] is Conv2d conv && i + 1 < children.Count && children[i + 1] is BatchNorm norm
                && norm.num_features == conv.out_channels && norm.track_running_stats)
            {
                value = graph.ConvBatchNorm(conv, norm, value);
                i++;
            }
            else
            {
                value = graph.Add(children[i], value);
            }
        }

        return value;
    }

    private static string AddConv(OnnxGraphBuilder graph, Conv2d conv, string input)
    {
        var weight = graph.AddInitializer("conv_weight", conv.weight!);
        var bias = conv.bias is null ? null : graph.AddInitializer("conv_bias", conv.bias);
        return AddConvNode(graph, conv, input, weight, bias);
    }

    private static string AddConvNode(OnnxGraphBuilder graph, Conv2d conv, string input, string weight, string? bias)
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
        return graph.Conv(input, weight, bias, kernel, Pair(conv.stride, 1), pads, dilation, conv.groups);
    }

    private static string AddBatchNorm(OnnxGraphBuilder graph, NormBase norm, string input)
    {
        RequireRunningStatistics(norm);
        string scale, shift, mean, variance;
        using (torch.NewDisposeScope())
        using (torch.no_grad())
        {
            var runningMean = norm.running_mean!;
            scale = graph.AddInitializer("bn_scale", norm.weight is null ? torch.ones_like(runningMean) : norm.weight);
            shift = graph.AddInitializer("bn_bias", norm.bias is null ? torch.zeros_like(runningMean) : norm.bias);
            mean = graph.AddInitializer("bn_mean", runningMean);
            variance = graph.AddInitializer("bn_var", norm.running_var!);
        }

        return graph.BatchNormalization(input, scale, shift, mean, variance, (float)norm.eps);
    }

    private static string AddAvgPool(OnnxGraphBuilder graph, AvgPool2d pool, string input)
    {
        if (pool.divisor_override is not null)
        {
            throw Unsupported(pool, "divisor_override");
        }

        return graph.AveragePool(input, Pair(pool.kernel_size, 1), Pair(pool.stride, pool.kernel_size), Pads(pool.padding), pool.ceil_mode, pool.count_include_pad);
    }

    private static string AddAdaptiveAvgPool(OnnxGraphBuilder graph, AdaptiveAvgPool2d pool, string input)
    {
        if (pool.output_size is null || pool.output_size.Any(s => s != 1))
        {
            throw Unsupported(pool, $"output size [{string.Join(", ", pool.output_size ?? [])}] (only 1, i.e. global average pooling)");
        }

        return graph.GlobalAveragePool(input);
    }

    private static string AddFlatten(OnnxGraphBuilder graph, TorchSharp.Modules.Flatten flatten, string input)
    {
        if (flatten.start_dim != 1 || flatten.end_dim != -1)
        {
            throw Unsupported(flatten, $"start_dim {flatten.start_dim}, end_dim {flatten.end_dim} (only 1, -1)");
        }

        return graph.Flatten(input, 1);
    }

    private static string AddLinear(OnnxGraphBuilder graph, Linear linear, string input)
    {
        var weight = graph.AddInitializer("linear_weight", linear.weight!);
        var bias = linear.bias is null ? null : graph.AddInitializer("linear_bias", linear.bias);
        return graph.Gemm(input, weight, bias, transB: true);
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
}
