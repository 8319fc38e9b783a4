namespace Face2Data.Reporting.Evaluation;

/// <summary>The predictions whose confidence fell in (<paramref name="Lower"/>, <paramref name="Upper"/>].</summary>
/// <param name="Lower">Lower bound of the confidence range (excluded).</param>
/// <param name="Upper">Upper bound of the confidence range (included).</param>
/// <param name="Count">Predictions in the bin.</param>
/// <param name="Accuracy">Share of them that were right; <see cref="double.NaN"/> when the bin is empty.</param>
/// <param name="Confidence">Their mean confidence; <see cref="double.NaN"/> when the bin is empty.</param>
public readonly record struct CalibrationBin(double Lower, double Upper, int Count, double Accuracy, double Confidence);
