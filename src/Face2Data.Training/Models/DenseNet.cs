using Face2Data.Schema;
using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Models;

/// <summary>
/// DenseNet (121 by default) trained from scratch, as in the person-attributes reference: the DenseNet trunk,
/// global average pooling, and one tower and output per head.
/// </summary>
public sealed class DenseNet : SharedTrunkModel
{
    public DenseNet(AttributeSchema schema, DenseNetOptions? options = null)
        : this(schema, options ?? new DenseNetOptions(), Trunk(options ?? new DenseNetOptions()))
    {
    }

    private DenseNet(AttributeSchema schema, DenseNetOptions options, (List<nn.Module<Tensor, Tensor>> Layers, long Features) trunk)
        : base(nameof(DenseNet), schema, trunk.Layers, trunk.Features, options.Tower)
    {
    }

    private static (List<nn.Module<Tensor, Tensor>> Layers, long Features) Trunk(DenseNetOptions options)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            nn.Conv2d(3, options.StemChannels, 7, stride: 2, padding: 3, bias: false),
            BatchNormalization.Of2d(options.StemChannels),
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
                layers.Add(BatchNormalization.Of2d(channels));
                layers.Add(nn.ReLU());
                layers.Add(nn.Conv2d(channels, channels / 2, 1, bias: false));
                layers.Add(nn.AvgPool2d(2, 2));
                channels /= 2;
            }
        }

        layers.Add(BatchNormalization.Of2d(channels));
        layers.Add(nn.ReLU());
        layers.Add(nn.AdaptiveAvgPool2d(1));
        layers.Add(nn.Flatten());
        return (layers, channels);
    }
}
