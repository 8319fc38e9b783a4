namespace Face2Data.Training.Models;

/// <summary>DenseNet shape. The defaults are DenseNet-121 (growth 32, blocks 6/12/24/16, 64 stem channels).</summary>
public sealed record DenseNetOptions
{
    /// <summary>Channels each dense layer adds.</summary>
    public int GrowthRate { get; init; } = 32;

    /// <summary>Dense layers in each block.</summary>
    public IReadOnlyList<int> Blocks { get; init; } = [6, 12, 24, 16];

    /// <summary>Channels of the 7×7 stem.</summary>
    public int StemChannels { get; init; } = 64;

    /// <summary>Bottleneck multiplier of each dense layer's 1×1 conv.</summary>
    public int BottleneckWidth { get; init; } = 4;

    /// <summary>The tower of each head.</summary>
    public HeadTowerOptions Tower { get; init; } = new(Hidden: 256, BatchNorm: false, Dropout: 0.3);
}
