using Face2Data.Onnx;
using Face2Data.Training.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Face2Data.Training.Runtime;

namespace Face2Data.Training.Models;

/// <summary>
/// A basic residual block: Conv3×3(stride)-BN-ReLU-Conv3×3-BN plus a shortcut (identity, or a strided 1×1
/// Conv-BN when the shape changes), then ReLU.
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly Sequential main;
    private readonly Sequential? shortcut;
    private readonly ReLU relu;

    public ResidualBlock(long inChannels, long outChannels, long stride) : base(nameof(ResidualBlock))
    {
        main = nn.Sequential(
            nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false),
            BatchNormalization.Of2d(outChannels),
            nn.ReLU(),
            nn.Conv2d(outChannels, outChannels, 3, padding: 1, bias: false),
            BatchNormalization.Of2d(outChannels));
        if (stride != 1 || inChannels != outChannels)
        {
            shortcut = nn.Sequential(
                nn.Conv2d(inChannels, outChannels, 1, stride: stride, bias: false),
                BatchNormalization.Of2d(outChannels));
        }

        relu = nn.ReLU();
        RegisterComponents();
    }

    internal Sequential Main => main;

    internal Sequential? Shortcut => shortcut;

    public string AddTo(OnnxGraphBuilder graph, string input)
    {
        var residual = shortcut is null ? input : graph.Add(shortcut, input);
        return graph.Relu(graph.Add(graph.Add(main, input), residual));
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var residual = shortcut is null ? input : shortcut.forward(input);
        return relu.forward(main.forward(input).Plus(residual)).MoveToOuterDisposeScope();
    }
}
