namespace Face2Data.Training.Models;

/// <summary>
/// The Keras reference's branch layout: per head, Conv(3×3, same)-ReLU-BN-MaxPool-Dropout for each filter count
/// and pool size, then Flatten, Dense-ReLU-BN-Dropout and the output.
/// </summary>
public sealed record SeedNetOptions
{
    /// <summary>Filters of the three conv blocks.</summary>
    public IReadOnlyList<int> Filters { get; init; } = [16, 32, 32];

    /// <summary>Max-pool size (and stride) after each conv block.</summary>
    public IReadOnlyList<int> Pools { get; init; } = [3, 2, 2];

    /// <summary>Dropout after each conv block.</summary>
    public double ConvDropout { get; init; } = 0.25;

    /// <summary>The dense tower of each head.</summary>
    public HeadTowerOptions Tower { get; init; } = new(Hidden: 128, BatchNorm: true, Dropout: 0.5);
}
