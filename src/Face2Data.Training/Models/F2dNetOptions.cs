namespace Face2Data.Training.Models;

/// <summary>Shape of <see cref="F2dNet"/>: stem width, stage widths and blocks per stage, and the head towers.</summary>
public sealed record F2dNetOptions
{
    /// <summary>Channels of the stride-2 stem convolution.</summary>
    public int StemChannels { get; init; } = 24;

    /// <summary>Channels of each stage; every stage after the first halves the resolution.</summary>
    public IReadOnlyList<int> Widths { get; init; } = [24, 48, 96, 192];

    /// <summary>Residual blocks in each stage.</summary>
    public IReadOnlyList<int> Blocks { get; init; } = [1, 1, 1, 1];

    /// <summary>Dropout on the pooled features, shared by all heads.</summary>
    public double FeatureDropout { get; init; } = 0.1;

    /// <summary>The tower of each head.</summary>
    public HeadTowerOptions Tower { get; init; } = new(Hidden: 128, BatchNorm: false, Dropout: 0.2);
}
