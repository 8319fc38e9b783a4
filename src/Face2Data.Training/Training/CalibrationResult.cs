namespace Face2Data.Training.Training;

/// <summary>What <see cref="BatchNormCalibration.CalibrateCheckpoint"/> did: images used, input size, validation before and after.</summary>
public sealed record CalibrationResult(int Images, int InputSize, IReadOnlyList<HeadMetrics> Before, IReadOnlyList<HeadMetrics> After);
