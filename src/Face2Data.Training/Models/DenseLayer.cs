using Face2Data.Onnx;
using Face2Data.Training.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Training.Models;

/// <summary>
/// DenseNet's bottleneck layer: BN-ReLU-Conv1×1(bottleneck) -BN-ReLU-Conv3×3(growth), its output concatenated to
/// its input along the channels.
/// </summary>
public sealed class DenseLayer : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly Sequential body;

    public DenseLayer(long inChannels, long growthRate, long bottleneckWidth) : base(nameof(DenseLayer))
    {
        body = nn.Sequential(
            BatchNormalization.Of2d(inChannels),
            nn.ReLU(),
            nn.Conv2d(inChannels, bottleneckWidth * growthRate, 1, bias: false),
            BatchNormalization.Of2d(bottleneckWidth * growthRate),
            nn.ReLU(),
            nn.Conv2d(bottleneckWidth * growthRate, growthRate, 3, padding: 1, bias: false));
        RegisterComponents();
    }

    internal Sequential Body => body;

    public string AddTo(OnnxGraphBuilder graph, string input) => graph.Concat([input, graph.Add(body, input)], 1);

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return torch.cat([input, body.forward(input)], 1).MoveToOuterDisposeScope();
    }
}
