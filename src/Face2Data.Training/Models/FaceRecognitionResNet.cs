using Face2Data.Imaging;
using Face2Data.Onnx;
using Face2Data.Training.Runtime;
using Face2Data.Onnx.Converters;
using Face2Data.Training.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Training.Models;

/// <summary>
/// face-api.js's face recognition network (dlib's ResNet-29 for 150 px faces, trained to tell people apart) as a
/// TorchSharp trunk: a 7×7 stride-2 stem, a 3×3 max pool, 14 residual blocks of 32, 64, 128 and 256 channels, and a
/// global average, giving 256 features per face. <see cref="Descriptor"/> maps them to face-api.js's 128-d face
/// descriptor. Each convolution is followed by a per-channel scale and shift, as in the published weights, so those
/// weights load unchanged (<see cref="LoadFaceApiWeights"/>).
/// </summary>
/// <remarks>
/// Input: RGB minus face-api.js's mean (122.782, 117.001, 104.298), divided by 255. Down blocks use 'valid'
/// convolutions, so their output can be one pixel smaller than the 2×2 average of their input; that output is padded
/// with zeros at the bottom and right, and the average with zero channels, as face-api.js does.
/// </remarks>
public sealed class FaceRecognitionResNet : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    /// <summary>The side face-api.js feeds the network.</summary>
    public const int NativeInputSize = 150;

    /// <summary>Width of the last stage's output, which the descriptor reads.</summary>
    public const int Features = 256;

    // Index of the last block of each stage (64, 128, 256 channels) and the stage's width.
    private static readonly (int Block, int Width)[] StageEnds = [(6, 64), (9, 128), (13, 256)];

    /// <summary>Width of the face descriptor.</summary>
    public const int DescriptorSize = 128;

    /// <summary>face-api.js's mean pixel (RGB, 0–255), subtracted before dividing by 255.</summary>
    public static IReadOnlyList<float> MeanRgb { get; } = [122.782f, 117.001f, 104.298f];

    // Block names in face-api.js's weights, in order; "_down" blocks halve the side and may widen the channels.
    private static readonly string[] BlockNames =
    [
        "conv32_1", "conv32_2", "conv32_3",
        "conv64_down", "conv64_1", "conv64_2", "conv64_3",
        "conv128_down", "conv128_1", "conv128_2",
        "conv256_down", "conv256_1", "conv256_2", "conv256_down_out",
    ];

    private readonly ScaledConvolution stem;
    private readonly MaxPool2d pool;
    private readonly ModuleList<FaceResidualBlock> blocks;
    private readonly Linear descriptor;
    private readonly List<(long Channels, long Side)> _inputShapes = [];

    /// <param name="inputSize">Side of the square input; 150 is the network's own, and at least 134 is needed.</param>
    /// <param name="levels">
    /// 1: the features are the global average of the last stage (256); 2 or 3: the averages of the last 2 or 3 stages'
    /// outputs too (128 + 256, or 64 + 128 + 256), which keep more of what identity training discards, such as age.
    /// </param>
    /// <param name="trainedBlocks">
    /// How many of the last blocks (0 to 3, all in the 256-channel stage) are trained with the heads; the rest stays
    /// frozen, and <see cref="ForwardFrozen"/> gives what the trained part reads.
    /// </param>
    public FaceRecognitionResNet(int inputSize = NativeInputSize, int levels = 1, int trainedBlocks = 0) : base(nameof(FaceRecognitionResNet))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(levels, 3);
        ArgumentOutOfRangeException.ThrowIfNegative(trainedBlocks);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(trainedBlocks, 3);
        InputSize = inputSize;
        Levels = levels;
        TrainedBlocks = trainedBlocks;
        var side = ValidSide(inputSize, 7);
        side = (side - 3) / 2 + 1;
        stem = new ScaledConvolution(3, 32, 7, stride: 2, relu: true);
        pool = nn.MaxPool2d(3, 2);
        var list = new List<FaceResidualBlock>();
        long channels = 32;
        foreach (var name in BlockNames)
        {
            var width = name.StartsWith("conv32", StringComparison.Ordinal) ? 32
                : name.StartsWith("conv64", StringComparison.Ordinal) ? 64
                : name.StartsWith("conv128", StringComparison.Ordinal) ? 128 : 256;
            var down = name.Contains("_down", StringComparison.Ordinal);
            if (down && side < 3)
            {
                throw new ArgumentException($"Input size {inputSize} is too small for the face recognition network (at least 134 px).", nameof(inputSize));
            }

            list.Add(new FaceResidualBlock(name, channels, width, down, side));
            _inputShapes.Add((channels, side));
            side = down ? side / 2 : side;
            channels = width;
        }

        blocks = new ModuleList<FaceResidualBlock>(list.ToArray());
        descriptor = nn.Linear(Features, DescriptorSize, hasBias: false);
        RegisterComponents();
    }

    /// <summary>
    /// How images become this network's input: resized to <paramref name="size"/>, scaled to [0, 1], minus
    /// <see cref="MeanRgb"/>/255, standard deviation 1, which is face-api.js's (pixels − mean) / 255.
    /// </summary>
    public static ImagePreprocessing Preprocessing(int size = NativeInputSize) => new()
    {
        Size = size,
        Resize = ResizeMethod.Area,
        Mean = MeanRgb.Select(m => m / 255f).ToArray(),
        Std = [1f, 1f, 1f],
    };

    /// <summary>Side of the square input this trunk was built for.</summary>
    public int InputSize { get; }

    /// <summary>How many stages' averages make the features (1: the last only).</summary>
    public int Levels { get; }

    /// <summary>Width of <see cref="forward"/>'s output: 256, 384 or 448 for 1, 2 or 3 levels.</summary>
    public int Width => StageEnds.TakeLast(Levels).Sum(s => s.Width);

    /// <summary>How many of the last blocks train with the heads (0: the whole network is frozen).</summary>
    public int TrainedBlocks { get; }

    /// <summary>Width of <see cref="ForwardFrozen"/>'s output: the frozen part's averages, then the trained part's input map.</summary>
    public int FrozenWidth => TrainedBlocks == 0 ? Width : FrozenAverages + (int)MapLength;

    /// <summary>The frozen part as an ONNX-exportable module (for <c>TrunkFeatureExtractor</c>).</summary>
    public IOnnxExportable Frozen => new FrozenPart(this);

    /// <summary>The trained blocks' parameters (none when <see cref="TrainedBlocks"/> is 0).</summary>
    public IEnumerable<Parameter> TrainedParameters => blocks.Skip(FirstTrained).SelectMany(b => b.parameters());

    /// <summary>The frozen part's parameters: the stem's and those of every block before the trained ones.</summary>
    public IEnumerable<Parameter> FrozenParameters => stem.parameters().Concat(blocks.Take(FirstTrained).SelectMany(b => b.parameters()));

    private int FirstTrained => blocks.Count - TrainedBlocks;

    private int FrozenAverages => StageEnds.Where(s => s.Block < FirstTrained && IsAveraged(s.Block)).Sum(s => s.Width);

    private long MapLength => _inputShapes[FirstTrained].Channels * _inputShapes[FirstTrained].Side * _inputShapes[FirstTrained].Side;

    private bool IsAveraged(int block) => Array.FindIndex(StageEnds, s => s.Block == block) >= StageEnds.Length - Levels;

    /// <summary>The linear map from the 256 features to face-api.js's 128-d face descriptor (not used by attribute heads).</summary>
    public Linear Descriptor => descriptor;

    /// <summary>[N, 3, S, S] normalized images → [N, <see cref="Width"/>] features.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return ForwardTrained(ForwardFrozen(input)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// [N, 3, S, S] normalized images → [N, <see cref="FrozenWidth"/>]: the averages of the frozen stages, then the
    /// trained part's input map, flattened (just the features when nothing is trained).
    /// </summary>
    public Tensor ForwardFrozen(Tensor input)
    {
        if (input.ndim != 4 || input.shape[2] != InputSize || input.shape[3] != InputSize)
        {
            throw new ArgumentException($"Expected images [N, 3, {InputSize}, {InputSize}], got [{string.Join(", ", input.shape)}].", nameof(input));
        }

        using var scope = NewDisposeScope();
        var x = pool.forward(stem.forward(input));
        var parts = new List<Tensor>();
        for (var i = 0; i < FirstTrained; i++)
        {
            x = blocks[i].forward(x);
            if (IsAveraged(i))
            {
                parts.Add(x.mean([2, 3]));
            }
        }

        if (TrainedBlocks > 0)
        {
            parts.Add(x.flatten(1));
        }

        return (parts.Count == 1 ? parts[0] : torch.cat(parts, 1)).MoveToOuterDisposeScope();
    }

    /// <summary>[N, <see cref="FrozenWidth"/>] (from <see cref="ForwardFrozen"/>) → [N, <see cref="Width"/>] features, through the trained blocks.</summary>
    public Tensor ForwardTrained(Tensor frozen)
    {
        if (TrainedBlocks == 0)
        {
            return frozen.alias();
        }

        using var scope = NewDisposeScope();
        var averages = FrozenAverages;
        var (channels, side) = _inputShapes[FirstTrained];
        var x = frozen[.., averages..].reshape(-1, channels, side, side);
        var parts = averages > 0 ? new List<Tensor> { frozen[.., ..averages] } : [];
        for (var i = FirstTrained; i < blocks.Count; i++)
        {
            x = blocks[i].forward(x);
            if (IsAveraged(i))
            {
                parts.Add(x.mean([2, 3]));
            }
        }

        return (parts.Count == 1 ? parts[0] : torch.cat(parts, 1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Adds <see cref="ForwardTrained"/> to an ONNX graph: <paramref name="frozen"/> [N, <see cref="FrozenWidth"/>] (what
    /// <see cref="Frozen"/> gives) → [N, <see cref="Width"/>] features.
    /// </summary>
    public string AddTrained(OnnxGraphBuilder graph, string frozen)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (TrainedBlocks == 0)
        {
            return frozen;
        }

        var averages = FrozenAverages;
        var (channels, side) = _inputShapes[FirstTrained];
        var x = graph.Reshape(graph.Slice(frozen, 1, averages, FrozenWidth), -1, channels, side, side);
        var parts = averages > 0 ? new List<string> { graph.Slice(frozen, 1, 0, averages) } : [];
        for (var i = FirstTrained; i < blocks.Count; i++)
        {
            x = blocks[i].AddTo(graph, x);
            if (IsAveraged(i))
            {
                parts.Add(graph.Flatten(graph.GlobalAveragePool(x), 1));
            }
        }

        return parts.Count == 1 ? parts[0] : graph.Concat(parts, axis: 1);
    }

    /// <summary>[N, 3, S, S] normalized images → [N, 128] face descriptors, as face-api.js's computeFaceDescriptor.</summary>
    public Tensor Describe(Tensor input)
    {
        using var scope = NewDisposeScope();
        var features = forward(input);
        return descriptor.forward(features[.., ^Features..]).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string AddTo(OnnxGraphBuilder graph, string input) => AddBlocks(graph, input, blocks.Count);

    // The network up to block `end` (exclusive): the averages of the stages it completes, then, when it stops early,
    // the flattened map the next block reads.
    private string AddBlocks(OnnxGraphBuilder graph, string input, int end)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var x = graph.Add(pool, stem.AddTo(graph, input));
        var parts = new List<string>();
        for (var i = 0; i < end; i++)
        {
            x = blocks[i].AddTo(graph, x);
            if (IsAveraged(i))
            {
                parts.Add(graph.Flatten(graph.GlobalAveragePool(x), 1));
            }
        }

        if (end < blocks.Count)
        {
            parts.Add(graph.Flatten(x, 1));
        }

        return parts.Count == 1 ? parts[0] : graph.Concat(parts, axis: 1);
    }

    // The frozen part alone, for feature extraction.
    private sealed class FrozenPart(FaceRecognitionResNet network) : IOnnxExportable
    {
        public string AddTo(OnnxGraphBuilder graph, string input) => network.AddBlocks(graph, input, network.FirstTrained);
    }

    /// <summary>
    /// Copies face-api.js's published weights (<c>face_recognition_model-weights_manifest.json</c>, read with
    /// <see cref="TfjsWeights.Read"/>) into this network.
    /// </summary>
    /// <exception cref="InvalidDataException">A weight is missing or has another shape: not this network's weights.</exception>
    public void LoadFaceApiWeights(IReadOnlyDictionary<string, TfWeight> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        using var noGrad = torch.no_grad();
        stem.Load(weights, "conv32_down");
        foreach (var block in blocks)
        {
            block.Load(weights);
        }

        var fc = TfjsWeights.Need(weights, FaceApiName, "fc", 2);
        if (fc.Shape[0] != Features || fc.Shape[1] != DescriptorSize)
        {
            throw new InvalidDataException($"'fc' has shape [{string.Join(", ", fc.Shape)}]; expected [{Features}, {DescriptorSize}].");
        }

        // TensorFlow's fc is [in, out] for x · fc; Linear's weight is [out, in].
        using var matrix = torch.tensor(fc.Values, [Features, DescriptorSize]);
        descriptor.weight!.copy_(matrix.t());
    }

    internal const string FaceApiName = "face-api.js's face recognition network";

    private static int ValidSide(int side, int kernel) =>
        side >= kernel ? (side - kernel) / 2 + 1 : throw new ArgumentException($"Input size {side} is too small for the face recognition network (at least 134 px).", nameof(side));
}

/// <summary>A convolution (bias), then a per-channel scale and shift, then optionally ReLU: face-api.js's conv layer.</summary>
internal sealed class ScaledConvolution : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly Conv2d conv;
    private readonly Parameter scale;
    private readonly Parameter shift;
    private readonly bool _relu;

    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernel">Square kernel side.</param>
    /// <param name="stride">1 ('same' padding) or 2 ('valid': no padding), as face-api.js.</param>
    /// <param name="relu">Apply ReLU at the end.</param>
    public ScaledConvolution(long inChannels, long outChannels, long kernel, long stride, bool relu) : base(nameof(ScaledConvolution))
    {
        conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: stride == 1 ? kernel / 2 : 0, bias: true);
        scale = new Parameter(torch.ones(outChannels));
        shift = new Parameter(torch.zeros(outChannels));
        _relu = relu;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var channels = scale.shape[0];
        var x = conv.forward(input).mul(scale.view(1, channels, 1, 1)).Plus(shift.view(1, channels, 1, 1));
        return (_relu ? x.relu() : x).MoveToOuterDisposeScope();
    }

    public string AddTo(OnnxGraphBuilder graph, string input)
    {
        var channels = scale.shape[0];
        string scaleValue, shiftValue;
        using (torch.no_grad())
        {
            scaleValue = graph.AddInitializer("scale", scale.view(1, channels, 1, 1));
            shiftValue = graph.AddInitializer("shift", shift.view(1, channels, 1, 1));
        }

        var x = graph.Add(graph.Mul(graph.Add(conv, input), scaleValue), shiftValue);
        return _relu ? graph.Relu(x) : x;
    }

    /// <summary>Copies <c>{prefix}/conv/filters</c>, <c>/conv/bias</c>, <c>/scale/weights</c> and <c>/scale/biases</c>.</summary>
    public void Load(IReadOnlyDictionary<string, TfWeight> weights, string prefix)
    {
        TfjsModuleWeights.Conv(conv, weights, FaceRecognitionResNet.FaceApiName, $"{prefix}/conv");
        TfjsModuleWeights.Vector(scale, weights, FaceRecognitionResNet.FaceApiName, $"{prefix}/scale/weights");
        TfjsModuleWeights.Vector(shift, weights, FaceRecognitionResNet.FaceApiName, $"{prefix}/scale/biases");
    }
}

/// <summary>
/// face-api.js's residual block: conv-ReLU, conv, plus the input, ReLU. A down block's first conv has stride 2 and
/// its shortcut is the 2×2 average of the input, zero-padded to the output's channels (and the output zero-padded to
/// the average's side when the 'valid' convolution came out one smaller).
/// </summary>
internal sealed class FaceResidualBlock : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly ScaledConvolution conv1;
    private readonly ScaledConvolution conv2;
    private readonly string _weightName;
    private readonly bool _down;
    private readonly long _inChannels;
    private readonly long _outChannels;
    private readonly long _missingRows;

    /// <param name="weightName">The block's name in face-api.js's weights, such as <c>conv64_down</c>.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="down">Halve the side (stride 2).</param>
    /// <param name="inputSide">Side of the block's input, which fixes the padding of a down block.</param>
    public FaceResidualBlock(string weightName, long inChannels, long outChannels, bool down, long inputSide) : base(nameof(FaceResidualBlock))
    {
        _weightName = weightName;
        _down = down;
        _inChannels = inChannels;
        _outChannels = outChannels;
        _missingRows = down ? inputSide / 2 - ((inputSide - 3) / 2 + 1) : 0;
        conv1 = new ScaledConvolution(inChannels, outChannels, 3, stride: down ? 2 : 1, relu: true);
        conv2 = new ScaledConvolution(outChannels, outChannels, 3, stride: 1, relu: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = conv2.forward(conv1.forward(input));
        var shortcut = input;
        if (_down)
        {
            shortcut = nn.functional.avg_pool2d(input, 2, 2);
            var missing = shortcut.shape[2] - x.shape[2];
            if (missing > 0)
            {
                x = nn.functional.pad(x, [0, missing, 0, missing]);
            }

            if (_outChannels > _inChannels)
            {
                shortcut = nn.functional.pad(shortcut, [0, 0, 0, 0, 0, _outChannels - _inChannels]);
            }
        }

        return x.Plus(shortcut).relu().MoveToOuterDisposeScope();
    }

    public string AddTo(OnnxGraphBuilder graph, string input)
    {
        var x = conv2.AddTo(graph, conv1.AddTo(graph, input));
        var shortcut = input;
        if (_down)
        {
            shortcut = graph.AveragePool(input, [2, 2], [2, 2], [0, 0, 0, 0]);
            if (_missingRows > 0)
            {
                x = Pad(graph, x, [0, 0, 0, 0, 0, 0, _missingRows, _missingRows]);
            }

            if (_outChannels > _inChannels)
            {
                shortcut = Pad(graph, shortcut, [0, 0, 0, 0, 0, _outChannels - _inChannels, 0, 0]);
            }
        }

        return graph.Relu(graph.Add(x, shortcut));
    }

    public void Load(IReadOnlyDictionary<string, TfWeight> weights)
    {
        conv1.Load(weights, $"{_weightName}/conv1");
        conv2.Load(weights, $"{_weightName}/conv2");
    }

    // ONNX Pad: begins of every axis, then ends; zeros.
    private static string Pad(OnnxGraphBuilder graph, string input, long[] pads) =>
        graph.Node("Pad", [input, graph.AddInitializer("pads", pads, pads.Length)]);
}
