namespace Face2Data.Reporting.Evaluation;

/// <summary>How well a categorical head did.</summary>
/// <param name="Head">The head's name.</param>
/// <param name="ConfusionMatrix">True against predicted classes.</param>
/// <param name="Report">Precision, recall, F1 and support per class, accuracy and averages.</param>
/// <param name="Calibration">Expected calibration error.</param>
/// <param name="Unknown">Samples left out because their true class is unknown.</param>
public sealed record CategoricalHeadEvaluation(string Head, ConfusionMatrix ConfusionMatrix, ClassificationReport Report, CalibrationError Calibration, int Unknown);
