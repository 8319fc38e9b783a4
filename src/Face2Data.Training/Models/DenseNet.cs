using Face2Data.Core.Schema;
using Face2Data.Training.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Training.Models;

/// <summary>
/// DenseNet (121 by default) trained from scratch, as in the person-attributes reference: the DenseNet trunk,
/// global average pooling, and one tower and output per head.
/// </summary>
public sealed class DenseNet : MultiHeadModel
{
    private readonly Sequential trunk;
    private readonly ModuleList<AttributeHeadLayer> heads;

    public DenseNet(AttributeSchema schema, DenseNetOptions? options = null) : base(nameof(DenseNet), schema)
    {
        options ??= new DenseNetOptions();
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            nn.Conv2d(3, options.StemChannels, 7, stride: 2, padding: 3, bias: false),
            nn.BatchNorm2d(options.StemChannels),
            nn.ReLU(),
            nn.MaxPool2d(3, 2, 1),
        };
        long channels = options.StemChannels;
        for (var block = 0; block < options.Blocks.Count; block++)
        {
            for (var i = 0; i < options.Blocks[block]; i++)
            {
                layers.Add(new DenseLayer(channels, options.GrowthRate, options.BottleneckWidth));
                channels += options.GrowthRate;
            }

            if (block < options.Blocks.Count - 1)
            {
                // Transition: halve channels and resolution.
                layers.Add(nn.BatchNorm2d(channels));
                layers.Add(nn.ReLU());
                layers.Add(nn.Conv2d(channels, channels / 2, 1, bias: false));
                layers.Add(nn.AvgPool2d(2, 2));
                channels /= 2;
            }
        }

        layers.Add(nn.BatchNorm2d(channels));
        layers.Add(nn.ReLU());
        layers.Add(nn.AdaptiveAvgPool2d(1));
        layers.Add(nn.Flatten());
        trunk = nn.Sequential(layers);
        heads = new ModuleList<AttributeHeadLayer>(schema.Heads.Select(h => new AttributeHeadLayer(h, channels, options.Tower)).ToArray());
        RegisterComponents();
    }

    public override IReadOnlyList<AttributeHeadLayer> HeadLayers => heads.ToList();

    internal Sequential Trunk => trunk;

    public override IReadOnlyList<string> AddHeadsTo(OnnxGraphBuilder graph, string input)
    {
        var features = graph.Add(trunk, input);
        return heads.Select(h => h.AddTo(graph, features)).ToList();
    }

    public override Tensor[] forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var features = trunk.forward(input);
        return heads.Select(h => h.forward(features).MoveToOuterDisposeScope()).ToArray();
    }
}
