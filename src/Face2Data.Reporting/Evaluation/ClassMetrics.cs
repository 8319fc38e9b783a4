namespace Face2Data.Reporting.Evaluation;

/// <summary>One row of a <see cref="ClassificationReport"/>: a class, or an average over classes.</summary>
/// <param name="Label">Class label, or <c>macro avg</c> / <c>weighted avg</c>.</param>
/// <param name="Precision">Correct predictions of the class ÷ all predictions of it (0 when it was never predicted).</param>
/// <param name="Recall">Correct predictions of the class ÷ its samples (0 when it has none).</param>
/// <param name="F1">Harmonic mean of precision and recall (0 when both are 0).</param>
/// <param name="Support">Samples whose true class it is (all samples, for an average).</param>
public readonly record struct ClassMetrics(string Label, double Precision, double Recall, double F1, int Support);
