using Face2Data.Onnx;
using Face2Data.Schema;
using Face2Data.Training.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Training.Tests.Export;

/// <summary>
/// A small multi-head network using every layer kind the exporter translates: a Conv→BN→ReLU→MaxPool stem, a
/// residual block (Add), a concat block with a depthwise branch, a standalone BatchNorm2d, pooling and linear heads.
/// </summary>
internal sealed class ParityNet : nn.Module<Tensor, Tensor[]>, IMultiHeadModel
{
    private readonly Sequential _stem;
    private readonly ResidualBlock _residual;
    private readonly ConcatBlock _concat;
    private readonly Sequential _neck;
    private readonly ModuleList<Linear> _heads;

    public ParityNet(AttributeSchema schema, int width = 8, int? wrongHeadWidth = null) : base(nameof(ParityNet))
    {
        _stem = nn.Sequential(
            nn.Conv2d(3, width, kernel_size: 3, stride: 2, padding: 1, bias: false),
            nn.BatchNorm2d(width),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size: 3, stride: 2, padding: 1));
        _residual = new ResidualBlock(width);
        _concat = new ConcatBlock(width);
        _neck = nn.Sequential(
            nn.BatchNorm2d(_concat.OutputChannels),
            nn.LeakyReLU(0.1),
            nn.AvgPool2d(kernel_size: 2, stride: 1, padding: 1, count_include_pad: false),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
            nn.Dropout(0.5));
        _heads = nn.ModuleList(schema.Heads.Select(h => nn.Linear(_concat.OutputChannels, wrongHeadWidth ?? h.OutputCount)).ToArray());
        RegisterComponents();
    }

    public override Tensor[] forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var features = _neck.forward(_concat.forward(_residual.forward(_stem.forward(input))));
        return _heads.Select(h => h.forward(features).MoveToOuterDisposeScope()).ToArray();
    }

    public IReadOnlyList<string> AddHeadsTo(OnnxGraphBuilder graph, string input)
    {
        var features = graph.Add(_neck, graph.Add(_concat, graph.Add(_residual, graph.Add(_stem, input))));
        return _heads.Select(h => graph.Add(h, features)).ToList();
    }
}

/// <summary>relu(x + bn(conv(relu(bn(conv(x)))))), exported with explicit Conv+BN folding.</summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly Conv2d _conv2;
    private readonly BatchNorm2d _bn2;

    public ResidualBlock(int channels) : base(nameof(ResidualBlock))
    {
        _conv1 = nn.Conv2d(channels, channels, kernel_size: 3, padding: 1, bias: false);
        _bn1 = nn.BatchNorm2d(channels);
        _conv2 = nn.Conv2d(channels, channels, kernel_size: 3, padding: 2, dilation: 2, bias: true);
        _bn2 = nn.BatchNorm2d(channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var y = _bn2.forward(_conv2.forward(nn.functional.relu(_bn1.forward(_conv1.forward(input)))));
        return nn.functional.relu(input + y).MoveToOuterDisposeScope();
    }

    public string AddTo(OnnxGraphBuilder graph, string input)
    {
        var y = graph.ConvBatchNorm(_conv2, _bn2, graph.Relu(graph.ConvBatchNorm(_conv1, _bn1, input)));
        return graph.Relu(graph.Add(input, y));
    }
}

/// <summary>concat(relu6(conv1x1(x)), silu(bn(depthwise(x)))) along channels.</summary>
internal sealed class ConcatBlock : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly Sequential _pointwise;
    private readonly Sequential _depthwise;

    public ConcatBlock(int channels) : base(nameof(ConcatBlock))
    {
        OutputChannels = channels + (channels / 2);
        _pointwise = nn.Sequential(nn.Conv2d(channels, channels / 2, kernel_size: 1), nn.ReLU6());
        _depthwise = nn.Sequential(
            nn.Conv2d(channels, channels, kernel_size: 3, padding: Padding.Same, groups: channels, bias: false),
            nn.BatchNorm2d(channels),
            nn.SiLU());
        RegisterComponents();
    }

    public int OutputChannels { get; }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        return torch.cat([_pointwise.forward(input), _depthwise.forward(input)], 1).MoveToOuterDisposeScope();
    }

    public string AddTo(OnnxGraphBuilder graph, string input) =>
        graph.Concat([graph.Add(_pointwise, input), graph.Add(_depthwise, input)], axis: 1);
}
