namespace Face2Data.Reporting.Evaluation;

/// <summary>How well a categorical head did.</summary>
/// <param name="Head">The head's name.</param>
/// <param name="ConfusionMatrix">True against predicted classes, over the samples with a face found.</param>
/// <param name="Report">Precision, recall, F1 and support per class, accuracy and averages, over the samples with a face found.</param>
/// <param name="Calibration">Expected calibration error, over the samples with a face found.</param>
/// <param name="Unknown">Samples left out because their true class is unknown.</param>
/// <param name="NoFace">Labelled photos in which no face was found: wrong answers in <see cref="Accuracy"/>, absent from the matrix.</param>
public sealed record CategoricalHeadEvaluation(string Head, ConfusionMatrix ConfusionMatrix, ClassificationReport Report, CalibrationError Calibration, int Unknown, int NoFace = 0)
{
    /// <summary>Right answers ÷ labelled samples, a photo without a face found counting as wrong; <see cref="double.NaN"/> when none is labelled.</summary>
    public double Accuracy => ConfusionMatrix.Total + NoFace == 0 ? double.NaN : (double)ConfusionMatrix.Correct / (ConfusionMatrix.Total + NoFace);
}
