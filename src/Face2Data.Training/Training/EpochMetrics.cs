namespace Face2Data.Training.Training;

/// <summary>What one epoch achieved, on the training batches (as trained, augmented) and on validation.</summary>
public sealed record EpochMetrics
{
    public required int Epoch { get; init; }
    public required int InputSize { get; init; }
    public required double LearningRate { get; init; }
    public required double TrainLoss { get; init; }
    public required double ValidationLoss { get; init; }
    public required IReadOnlyList<HeadMetrics> Train { get; init; }
    public required IReadOnlyList<HeadMetrics> Validation { get; init; }
    public required double Seconds { get; init; }
    public required double ImagesPerSecond { get; init; }
}
