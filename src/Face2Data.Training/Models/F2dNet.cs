using Face2Data.Schema;
using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Models;

/// <summary>
/// Face2Data's default network, designed for accuracy per CPU-second: a stride-2 stem (full-resolution layers
/// cost 5–10× more on a CPU), one shared residual trunk, global average pooling, and a small tower and output
/// per head.
/// </summary>
public sealed class F2dNet : SharedTrunkModel
{
    public F2dNet(AttributeSchema schema, F2dNetOptions? options = null)
        : this(schema, options ?? new F2dNetOptions(), Trunk(options ?? new F2dNetOptions()))
    {
    }

    private F2dNet(AttributeSchema schema, F2dNetOptions options, (List<nn.Module<Tensor, Tensor>> Layers, long Features) trunk)
        : base(nameof(F2dNet), schema, trunk.Layers, trunk.Features, options.Tower)
    {
    }

    private static (List<nn.Module<Tensor, Tensor>> Layers, long Features) Trunk(F2dNetOptions options)
    {
        if (options.Widths.Count != options.Blocks.Count || options.Widths.Count == 0)
        {
            throw new ArgumentException("F2dNet needs one block count per stage width.", nameof(options));
        }

        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            nn.Conv2d(3, options.StemChannels, 3, stride: 2, padding: 1, bias: false),
            BatchNormalization.Of2d(options.StemChannels),
            nn.ReLU(),
        };
        long channels = options.StemChannels;
        for (var stage = 0; stage < options.Widths.Count; stage++)
        {
            for (var block = 0; block < options.Blocks[stage]; block++)
            {
                var stride = stage > 0 && block == 0 ? 2 : 1;
                layers.Add(new ResidualBlock(channels, options.Widths[stage], stride));
                channels = options.Widths[stage];
            }
        }

        layers.Add(nn.AdaptiveAvgPool2d(1));
        layers.Add(nn.Flatten());
        if (options.FeatureDropout > 0)
        {
            layers.Add(nn.Dropout(options.FeatureDropout));
        }

        return (layers, channels);
    }
}
