namespace Face2Data.Datasets;

/// <summary>
/// How <see cref="DatasetSplit"/> divides samples. The defaults follow the Keras reference: 30% test, then the rest
/// 70/30 train/validation.
/// </summary>
public sealed record DatasetSplitOptions
{
    /// <summary>Seed of the shuffle; the same seed and samples give the same split on every machine.</summary>
    public int Seed { get; init; }

    /// <summary>Share of all samples that go to the test part, in [0, 1).</summary>
    public double TestFraction { get; init; } = 0.3;

    /// <summary>Share of the non-test samples that go to the validation part, in [0, 1).</summary>
    public double ValidationFraction { get; init; } = 0.3;

    /// <summary>
    /// Head whose label proportions each part keeps, or null for a plain shuffle. A categorical head stratifies by
    /// class; a regression head by ten equal-width bins over [min, max]. Samples without a label form their own stratum.
    /// </summary>
    public string? StratifyBy { get; init; }
}
