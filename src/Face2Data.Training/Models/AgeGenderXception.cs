using Face2Data.Onnx;
using Face2Data.Onnx.Converters;
using Face2Data.Training.Export;
using Face2Data.Training.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Training.Models;

/// <summary>
/// The trunk of face-api.js's age and gender network (a TinyXception trained on UTK, FGNET, Chalearn, Wiki, IMDB,
/// CACD and MegaAge to tell age and gender) as a frozen TorchSharp feature extractor: the published weights load
/// unchanged (<see cref="LoadFaceApiWeights"/>), and the output is the network's 512 pooled features, the layer its
/// age and gender read, without those two layers.
/// </summary>
/// <remarks>
/// The input is the same as <see cref="FaceRecognitionResNet"/>'s (RGB minus face-api.js's mean, divided by 255) at
/// any side; it is resized bilinearly to the network's 112 px first (half-pixel centres, no antialiasing, which is what
/// ONNX's Resize does too). The layers are those <see cref="AgeGenderConverter"/> writes to ONNX from the same weights;
/// TensorFlow's "same" padding of a stride-2 window on an even side pads the end only (zeros for the convolution, nothing
/// for the max pool).
/// </remarks>
public sealed class AgeGenderXception : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    /// <summary>Channels of the published network's convolutions: the first, the two entry reductions (and the main blocks), the exit reduction and the last separable convolution.</summary>
    public static IReadOnlyList<int> PublishedChannels { get; } = [32, 64, 128, 256, 512];

    private const int MainBlocks = 2;

    private readonly Conv2d convIn;
    private readonly ModuleList<XceptionReduction> reductions;
    private readonly ModuleList<ModuleList<SeparableConvolution>> mainBlocks;
    private readonly SeparableConvolution exit;
    private readonly int _inputSize;
    private readonly int _networkSize;

    /// <param name="inputSize">Side of the images this trunk receives (resized to <paramref name="networkSize"/> inside).</param>
    /// <param name="channels">The five channel counts (see <see cref="PublishedChannels"/>, the default).</param>
    /// <param name="networkSize">
    /// Side the network runs at: face-api.js's 112, or another multiple of 16 (smaller is faster; the four stride-2
    /// steps then all see even sides, as at 112).
    /// </param>
    public AgeGenderXception(int inputSize = AgeGenderConverter.InputSize, IReadOnlyList<int>? channels = null, int networkSize = AgeGenderConverter.InputSize) : base(nameof(AgeGenderXception))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        if (networkSize < 32 || networkSize % 16 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(networkSize), networkSize, "The age and gender network runs at a multiple of 16 pixels, at least 32.");
        }

        _networkSize = networkSize;
        var c = channels ?? PublishedChannels;
        if (c.Count != 5)
        {
            throw new ArgumentException("Expected five channel counts.", nameof(channels));
        }

        _inputSize = inputSize;
        Width = c[4];
        convIn = nn.Conv2d(3, c[0], 3, stride: 2, bias: true);
        // Sides at 112 px: 56 into the first reduction, 28, then 14 into the exit reduction, 7 at the end (at 96: 48 … 6).
        reductions = new ModuleList<XceptionReduction>(
            new XceptionReduction(c[0], c[1], activateInput: false),
            new XceptionReduction(c[1], c[2], activateInput: true),
            new XceptionReduction(c[2], c[3], activateInput: true));
        mainBlocks = new ModuleList<ModuleList<SeparableConvolution>>(Enumerable.Range(0, MainBlocks)
            .Select(_ => new ModuleList<SeparableConvolution>(Enumerable.Range(0, 3).Select(_ => new SeparableConvolution(c[2], c[2])).ToArray()))
            .ToArray());
        exit = new SeparableConvolution(c[3], c[4]);
        RegisterComponents();
    }

    /// <summary>Width of the features: the last convolution's channels (512 for the published network).</summary>
    public int Width { get; }

    /// <summary>[N, 3, S, S] normalized images → [N, <see cref="Width"/>] features.</summary>
    public override Tensor forward(Tensor input)
    {
        if (input.ndim != 4 || input.shape[2] != _inputSize || input.shape[3] != _inputSize)
        {
            throw new ArgumentException($"Expected images [N, 3, {_inputSize}, {_inputSize}], got [{string.Join(", ", input.shape)}].", nameof(input));
        }

        using var scope = NewDisposeScope();
        var x = _inputSize == _networkSize ? input
            : nn.functional.interpolate(input, [_networkSize, _networkSize], mode: InterpolationMode.Bilinear, align_corners: false);
        x = convIn.forward(nn.functional.pad(x, [0, 1, 0, 1])).relu();
        x = reductions[0].forward(x);
        x = reductions[1].forward(x);
        foreach (var block in mainBlocks)
        {
            var output = x;
            foreach (var separable in block)
            {
                output = separable.forward(output.relu());
            }

            x = output.Plus(x);
        }

        x = reductions[2].forward(x);
        return exit.forward(x).relu().mean([2, 3]).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string AddTo(OnnxGraphBuilder graph, string input)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var x = input;
        if (_inputSize != _networkSize)
        {
            // Output sizes rather than scales: a float scale such as 96/150 can floor to one pixel short.
            var batchAndChannels = graph.Node("Slice", [graph.Node("Shape", [x]), graph.AddInitializer("resize_starts", [0L], 1), graph.AddInitializer("resize_ends", [2L], 1)]);
            var sizes = graph.Concat([batchAndChannels, graph.AddInitializer("age_gender_side", [(long)_networkSize, _networkSize], 2)], axis: 0);
            x = graph.Node("Resize", [x, "", "", sizes],
            [
                OnnxAttribute.String("mode", "linear"),
                OnnxAttribute.String("coordinate_transformation_mode", "half_pixel"),
            ]);
        }

        string weight, bias;
        using (torch.no_grad())
        {
            weight = graph.AddInitializer("conv_weight", convIn.weight!);
            bias = graph.AddInitializer("conv_bias", convIn.bias!);
        }

        x = graph.Relu(graph.Conv(x, weight, bias, [3, 3], [2, 2], [0, 0, 1, 1], [1, 1]));
        x = reductions[0].AddTo(graph, x);
        x = reductions[1].AddTo(graph, x);
        foreach (var block in mainBlocks)
        {
            var output = x;
            foreach (var separable in block)
            {
                output = separable.AddTo(graph, graph.Relu(output));
            }

            x = graph.Add(output, x);
        }

        x = reductions[2].AddTo(graph, x);
        return graph.Flatten(graph.GlobalAveragePool(graph.Relu(exit.AddTo(graph, x))), 1);
    }

    /// <summary>
    /// Copies face-api.js's published weights (<c>age_gender_model-weights_manifest.json</c>, read with
    /// <see cref="TfjsWeights.Read"/>) into this trunk; its two fully connected layers are not used.
    /// </summary>
    /// <exception cref="InvalidDataException">A weight is missing or has another shape: not this network's weights.</exception>
    public void LoadFaceApiWeights(IReadOnlyDictionary<string, TfWeight> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (!weights.ContainsKey("fc/age/weights") || !weights.ContainsKey("entry_flow/conv_in/filters"))
        {
            throw new InvalidDataException($"The weights have no 'entry_flow/conv_in' or 'fc/age': not {FaceApiName}'s manifest?");
        }

        using var noGrad = torch.no_grad();
        TfjsModuleWeights.Conv(convIn, weights, FaceApiName, "entry_flow/conv_in");
        reductions[0].Load(weights, "entry_flow/reduction_block_0");
        reductions[1].Load(weights, "entry_flow/reduction_block_1");
        for (var i = 0; i < mainBlocks.Count; i++)
        {
            for (var k = 0; k < 3; k++)
            {
                mainBlocks[i][k].Load(weights, $"middle_flow/main_block_{i}/separable_conv{k}");
            }
        }

        reductions[2].Load(weights, "exit_flow/reduction_block");
        exit.Load(weights, "exit_flow/separable_conv");
    }

    internal const string FaceApiName = "face-api.js's age and gender network";
}

/// <summary>A depthwise 3×3 convolution (no bias, "same" padding) and a pointwise 1×1 convolution with a bias.</summary>
internal sealed class SeparableConvolution : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly Conv2d depthwise;
    private readonly Conv2d pointwise;

    public SeparableConvolution(long inChannels, long outChannels) : base(nameof(SeparableConvolution))
    {
        depthwise = nn.Conv2d(inChannels, inChannels, 3, padding: 1, groups: inChannels, bias: false);
        pointwise = nn.Conv2d(inChannels, outChannels, 1, bias: true);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return pointwise.forward(depthwise.forward(input)).MoveToOuterDisposeScope();
    }

    public string AddTo(OnnxGraphBuilder graph, string input) => graph.Add(pointwise, graph.Add(depthwise, input));

    public void Load(IReadOnlyDictionary<string, TfWeight> weights, string name)
    {
        TfjsModuleWeights.Conv(depthwise, weights, AgeGenderXception.FaceApiName, name, "depthwise_filter", bias: null);
        TfjsModuleWeights.Conv(pointwise, weights, AgeGenderXception.FaceApiName, name, "pointwise_filter");
    }
}

/// <summary>
/// TinyXception's reduction block: [ReLU] → separable → ReLU → separable → 3×3 max pool with stride 2, plus a stride-2
/// 1×1 convolution of the block's input. The input side must be even (TensorFlow then pads the pool's end by one).
/// </summary>
internal sealed class XceptionReduction : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly SeparableConvolution first;
    private readonly SeparableConvolution second;
    private readonly Conv2d expansion;
    private readonly bool _activateInput;

    public XceptionReduction(long inChannels, long outChannels, bool activateInput) : base(nameof(XceptionReduction))
    {
        first = new SeparableConvolution(inChannels, outChannels);
        second = new SeparableConvolution(outChannels, outChannels);
        expansion = nn.Conv2d(inChannels, outChannels, 1, stride: 2, bias: true);
        _activateInput = activateInput;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var output = second.forward(first.forward(_activateInput ? input.relu() : input).relu());
        output = nn.functional.max_pool2d(nn.functional.pad(output, [0, 1, 0, 1], PaddingModes.Constant, double.NegativeInfinity), [3, 3], [2, 2]);
        return output.Plus(expansion.forward(input)).MoveToOuterDisposeScope();
    }

    public string AddTo(OnnxGraphBuilder graph, string input)
    {
        var output = second.AddTo(graph, graph.Relu(first.AddTo(graph, _activateInput ? graph.Relu(input) : input)));
        output = graph.MaxPool(output, [3, 3], [2, 2], [0, 0, 1, 1], [1, 1]);
        return graph.Add(output, graph.Add(expansion, input));
    }

    public void Load(IReadOnlyDictionary<string, TfWeight> weights, string name)
    {
        first.Load(weights, $"{name}/separable_conv0");
        second.Load(weights, $"{name}/separable_conv1");
        TfjsModuleWeights.Conv(expansion, weights, AgeGenderXception.FaceApiName, $"{name}/expansion_conv");
    }
}
