using Face2Data.Schema;

namespace Face2Data.Datasets;

/// <summary>
/// How one head's labels are distributed in a dataset: class counts for a categorical head; summary numbers, bin
/// counts and a histogram for a regression head.
/// </summary>
public sealed record HeadStatistics
{
    /// <summary>The head.</summary>
    public required AttributeHead Head { get; init; }

    /// <summary>Samples whose label is known.</summary>
    public required int Known { get; init; }

    /// <summary>Samples whose label is unknown (NaN).</summary>
    public required int Unknown { get; init; }

    /// <summary>Samples per class, in class order (categorical heads; empty otherwise).</summary>
    public IReadOnlyList<int> ClassCounts { get; init; } = [];

    /// <summary>Mean of the known values (regression heads; NaN otherwise).</summary>
    public double Mean { get; init; } = double.NaN;

    /// <summary>Population standard deviation of the known values (regression heads).</summary>
    public double StandardDeviation { get; init; } = double.NaN;

    /// <summary>Smallest known value (regression heads).</summary>
    public double Min { get; init; } = double.NaN;

    /// <summary>Median of the known values (regression heads).</summary>
    public double Median { get; init; } = double.NaN;

    /// <summary>Largest known value (regression heads).</summary>
    public double Max { get; init; } = double.NaN;

    /// <summary>The bins of <see cref="BinCounts"/> (<see cref="ValueBins.For"/> unless the caller chose others; regression heads).</summary>
    public ValueBins? Bins { get; init; }

    /// <summary>Samples per bin (regression heads; empty otherwise).</summary>
    public IReadOnlyList<int> BinCounts { get; init; } = [];

    /// <summary>Equal-width histogram of the known values (regression heads with a known value).</summary>
    public Histogram? Histogram { get; init; }
}
