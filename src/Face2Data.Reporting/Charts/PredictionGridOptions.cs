namespace Face2Data.Reporting.Charts;

/// <summary>Layout of a <see cref="PredictionGrid"/>.</summary>
public sealed record PredictionGridOptions
{
    /// <summary>Most faces shown; they are spread evenly over the predictions.</summary>
    public int Count { get; init; } = 16;

    /// <summary>Faces per row.</summary>
    public int Columns { get; init; } = 4;

    /// <summary>Side of each face, in pixels; also the width of a cell.</summary>
    public int CellSize { get; init; } = 160;

    /// <summary>
    /// A regression prediction counts as a mistake when it is further from the truth than this share of the head's
    /// range (0.1 of age 0–116: 11.6 years).
    /// </summary>
    public double RegressionTolerance { get; init; } = 0.1;

    /// <summary>The defaults.</summary>
    public static PredictionGridOptions Default { get; } = new();
}
