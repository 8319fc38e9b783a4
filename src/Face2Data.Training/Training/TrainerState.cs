namespace Face2Data.Training.Training;

/// <summary>The trainer's bookkeeping saved with every last-epoch checkpoint, so a killed run resumes exactly.</summary>
public sealed record TrainerState
{
    /// <summary>The epoch to run next (1-based).</summary>
    public int NextEpoch { get; init; } = 1;

    /// <summary>Optimizer steps taken so far (drives the time decay).</summary>
    public long Step { get; init; }

    public double LearningRate { get; init; }

    public double BestValidationLoss { get; init; } = double.PositiveInfinity;

    public int BestEpoch { get; init; }

    /// <summary>Epochs since the last improvement, for ReduceLROnPlateau.</summary>
    public int PlateauWait { get; init; }

    /// <summary>Epochs since the last improvement, for early stopping.</summary>
    public int EarlyStopWait { get; init; }

    public bool Stopped { get; init; }

    public IReadOnlyList<EpochMetrics> History { get; init; } = [];
}
