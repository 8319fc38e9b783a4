namespace Face2Data.Explanation;

/// <summary>Settings of <see cref="KernelShap"/>.</summary>
public sealed record KernelShapOptions
{
    /// <summary>Most coalitions sampled.</summary>
    public const int MaxSamples = 100_000;

    /// <summary>Cells per side of the grid; each cell is one feature (player) of the Shapley game.</summary>
    public int Grid { get; init; } = 8;

    /// <summary>
    /// The budget: coalitions evaluated besides the full and the empty one. At least one per cell. When the game
    /// has no more coalitions than this (a grid of 3 × 3 or less for 512), all are evaluated and the values are exact.
    /// </summary>
    public int Samples { get; init; } = 512;

    /// <summary>Seed of the coalition sampling; the same seed gives the same coalitions and so the same map.</summary>
    public int Seed { get; init; }

    /// <summary>Masked images per model call.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Checks the settings against an input size.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message says which and why.</exception>
    public void Validate(int inputSize)
    {
        AttributionGrid.Check(inputSize, Grid);
        var cells = Grid * Grid;
        if (Samples < cells || Samples > MaxSamples)
        {
            throw new ArgumentOutOfRangeException(nameof(Samples), Samples, $"The SHAP sample budget must be {cells} (one per cell of the {Grid}×{Grid} grid) to {MaxSamples}.");
        }

        if (BatchSize is < 1 or > ExplanationOptions.MaxBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"The batch size must be 1 to {ExplanationOptions.MaxBatchSize}.");
        }
    }
}
