namespace Face2Data.Training.Training;

/// <summary>How a run ended: the best checkpoint, its epoch and validation loss, and the history.</summary>
public sealed record TrainingResult(string BestCheckpoint, int BestEpoch, double BestValidationLoss, IReadOnlyList<EpochMetrics> History, bool StoppedEarly);
