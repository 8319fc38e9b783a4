namespace Face2Data.Training.Training;

/// <summary>A progress report: within an epoch (<see cref="Completed"/> is null) or at its end.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="TotalEpochs">Epochs planned over all stages.</param>
/// <param name="Step">Batches done in this epoch.</param>
/// <param name="Steps">Batches in this epoch.</param>
/// <param name="RunningLoss">Mean training loss so far in this epoch.</param>
/// <param name="ImagesPerSecond">Training throughput so far in this epoch.</param>
/// <param name="Completed">The finished epoch's metrics, on the last report of the epoch.</param>
/// <param name="Message">A notice such as a learning-rate change or early stop.</param>
public sealed record TrainingProgress(
    int Epoch, int TotalEpochs, int Step, int Steps, double RunningLoss, double ImagesPerSecond,
    EpochMetrics? Completed = null, string? Message = null);
