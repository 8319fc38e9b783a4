namespace Face2Data.Training.Training;

/// <summary>
/// How a run ended: the best checkpoint, its epoch and validation loss, and the history; with weight averaging, the
/// averaged weights' validation loss (the best checkpoint holds them when it is the lowest).
/// </summary>
public sealed record TrainingResult(
    string BestCheckpoint, int BestEpoch, double BestValidationLoss, IReadOnlyList<EpochMetrics> History, bool StoppedEarly, double? AveragedValidationLoss = null);
