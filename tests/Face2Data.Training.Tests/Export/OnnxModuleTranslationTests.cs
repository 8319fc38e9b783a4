using Face2Data.Onnx;
using Face2Data.Training.Export;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Training.Tests.Export;

/// <summary>
/// <see cref="OnnxModuleTranslation"/>: TorchSharp modules added to an <see cref="OnnxGraphBuilder"/> compute what
/// the modules compute; the builder's own tests (names, nodes, initializers) are in Face2Data.Onnx.Tests.
/// </summary>
public sealed class OnnxModuleTranslationTests
{
    public static TheoryData<string> LeafModules =>
    [
        "conv_same_dilated", "conv_rectangular_stride", "conv_groups_bias", "conv_valid",
        "batchnorm", "batchnorm_no_affine", "conv_bn_relu",
        "maxpool_ceil", "maxpool_dilated", "avgpool_include_pad", "avgpool_ceil_exclude_pad", "adaptive_avgpool",
        "relu6", "leaky_relu", "silu", "sigmoid", "hardswish",
        "flatten_linear", "flatten_linear_no_bias", "dropout_identity",
    ];

    [Theory]
    [MemberData(nameof(LeafModules))]
    public void Leaf_module_matches_TorchSharp_in_eval_mode(string name)
    {
        using var module = CreateModule(name);
        ExportTestData.Randomize(module, seed: 5);
        WarmUpBatchNorm(module);
        module.eval();
        // Scaled so that clipping activations (ReLU6) see values past their limits.
        var input = ExportTestData.RandomInput(batch: 2, seed: 6, size: 9).Select(v => v * 4).ToArray();

        float[] expected;
        long[] expectedShape;
        using (torch.no_grad())
        using (var x = torch.tensor(input, [2, 3, 9, 9]))
        using (var y = ((nn.Module<Tensor, Tensor>)module).forward(x))
        {
            expected = y.data<float>().ToArray();
            expectedShape = y.shape;
        }

        var (actual, actualShape) = RunOnnx(module, input, [2, 3, 9, 9]);

        Assert.Equal(expectedShape, actualShape);
        Assert.True(ExportTestData.MaxAbsDifference(expected, actual) <= 1e-4f, $"{name} differs by {ExportTestData.MaxAbsDifference(expected, actual)}.");
    }

    [Fact]
    public void Sequential_conv_batchnorm_pair_becomes_one_conv_with_bias()
    {
        using var module = nn.Sequential(nn.Conv2d(3, 4, kernel_size: 3, bias: false), nn.BatchNorm2d(4), nn.ReLU());
        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", [OnnxDimension.Dynamic("N"), OnnxDimension.Fixed(3), OnnxDimension.Fixed(8), OnnxDimension.Fixed(8)]);

        graph.Add(module, input);

        Assert.Equal(["Conv", "Relu"], graph.NodeOperators);
        Assert.Equal(2, graph.InitializerCount);
        Assert.Equal(3, graph.Graph.Node[0].Input.Count);
    }

    [Fact]
    public void Batchnorm_not_after_a_conv_stays_a_BatchNormalization_node()
    {
        using var module = nn.Sequential(nn.ReLU(), nn.BatchNorm2d(3));
        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", [OnnxDimension.Fixed(1), OnnxDimension.Fixed(3), OnnxDimension.Fixed(4), OnnxDimension.Fixed(4)]);

        graph.Add(module, input);

        Assert.Equal(["Relu", "BatchNormalization"], graph.NodeOperators);
    }

    [Fact]
    public void Unknown_module_type_throws_NotSupportedException_naming_it()
    {
        using var module = nn.Sequential(nn.ReLU(), nn.Tanh());
        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", [OnnxDimension.Fixed(1), OnnxDimension.Fixed(3), OnnxDimension.Fixed(4), OnnxDimension.Fixed(4)]);

        var error = Assert.Throws<NotSupportedException>(() => graph.Add(module, input));

        Assert.Contains("Tanh (TorchSharp.Modules.Tanh)", error.Message);
        Assert.Contains("IOnnxExportable", error.Message);
    }

    [Theory]
    [InlineData("adaptive_avgpool_2", "AdaptiveAvgPool2d", "output size [2, 2]")]
    [InlineData("batchnorm_untracked", "BatchNorm2d", "no running statistics")]
    [InlineData("conv_reflect", "Conv2d", "padding mode Reflect")]
    [InlineData("flatten_from_0", "Flatten", "start_dim 0")]
    [InlineData("avgpool_divisor", "AvgPool2d", "divisor_override")]
    [InlineData("hardtanh", "Hardtanh", "does not clamp")]
    public void Unsupported_settings_throw_NotSupportedException(string name, string type, string setting)
    {
        using var module = CreateModule(name);
        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", [OnnxDimension.Fixed(1), OnnxDimension.Fixed(3), OnnxDimension.Fixed(4), OnnxDimension.Fixed(4)]);

        var error = Assert.Throws<NotSupportedException>(() => graph.Add(module, input));

        Assert.StartsWith($"ONNX export does not support {type} ", error.Message);
        Assert.Contains(setting, error.Message);
    }

    private static nn.Module CreateModule(string name) => name switch
    {
        "conv_same_dilated" => nn.Conv2d(3, 4, kernel_size: 4, padding: Padding.Same, dilation: 2),
        "conv_rectangular_stride" => nn.Conv2d(3, 5, kernel_size: (3, 1), stride: (2, 1), padding: (1, 0)),
        "conv_groups_bias" => nn.Conv2d(3, 6, kernel_size: 3, stride: 2, padding: 1, groups: 3),
        "conv_valid" => nn.Conv2d(3, 2, kernel_size: 3, padding: Padding.Valid, bias: false),
        "conv_reflect" => nn.Conv2d(3, 2, kernel_size: 3, padding: 1, padding_mode: PaddingModes.Reflect),
        "batchnorm" => nn.BatchNorm2d(3),
        "batchnorm_no_affine" => nn.BatchNorm2d(3, affine: false),
        "batchnorm_untracked" => nn.BatchNorm2d(3, track_running_stats: false),
        "conv_bn_relu" => nn.Sequential(nn.Conv2d(3, 4, kernel_size: 3, padding: 1), nn.BatchNorm2d(4), nn.ReLU()),
        "maxpool_ceil" => nn.MaxPool2d(kernel_size: 2, stride: 2, ceil_mode: true),
        "maxpool_dilated" => nn.MaxPool2d(kernel_size: 2, stride: 1, dilation: 2),
        "avgpool_include_pad" => nn.AvgPool2d(kernel_size: 3, stride: 2, padding: 1),
        "avgpool_ceil_exclude_pad" => nn.AvgPool2d(kernel_size: 2, stride: 2, ceil_mode: true, count_include_pad: false),
        "avgpool_divisor" => nn.AvgPool2d(kernel_size: 2, divisor_override: 3),
        "adaptive_avgpool" => nn.AdaptiveAvgPool2d(1),
        "adaptive_avgpool_2" => nn.AdaptiveAvgPool2d(2),
        "relu6" => nn.ReLU6(),
        "hardtanh" => nn.Hardtanh(-0.5, 0.75),
        "leaky_relu" => nn.LeakyReLU(0.2),
        "silu" => nn.SiLU(),
        "sigmoid" => nn.Sigmoid(),
        "hardswish" => nn.Hardswish(),
        "flatten_linear" => nn.Sequential(nn.Flatten(), nn.Linear(3 * 9 * 9, 4)),
        "flatten_linear_no_bias" => nn.Sequential(nn.Flatten(), nn.Linear(3 * 9 * 9, 4, hasBias: false)),
        "flatten_from_0" => nn.Flatten(0),
        "dropout_identity" => nn.Sequential(nn.Dropout2d(0.5), nn.Identity(), nn.Dropout(0.5)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    // Train-mode passes give the batch norms running statistics that differ from their initial 0 and 1.
    private static void WarmUpBatchNorm(nn.Module module)
    {
        if (!module.modules().OfType<BatchNorm2d>().Any())
        {
            return;
        }

        module.train();
        using var noGrad = torch.no_grad();
        var generator = new Generator(7);
        for (var i = 0; i < 3; i++)
        {
            using var scope = torch.NewDisposeScope();
            ((nn.Module<Tensor, Tensor>)module).forward(torch.randn([4, 3, 9, 9], generator: generator) * 3 + 1);
        }
    }

    private static (float[] Values, long[] Shape) RunOnnx(nn.Module module, float[] input, long[] shape)
    {
        var graph = new OnnxGraphBuilder();
        var x = graph.AddInput("x", shape.Select(OnnxDimension.Fixed).ToList());
        var y = graph.Add(module, x);
        if (y == x)
        {
            y = graph.Identity(y);
        }

        graph.AddOutput(y, null);
        var bytes = graph.ToModelBytes(new Dictionary<string, string>());

        using var session = new InferenceSession(bytes);
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [x], [value], [y]);
        var output = outputs.Single();
        return (output.GetTensorDataAsSpan<float>().ToArray(), output.GetTensorTypeAndShape().Shape);
    }
}
