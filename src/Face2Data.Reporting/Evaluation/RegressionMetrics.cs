namespace Face2Data.Reporting.Evaluation;

/// <summary>How far a regression head's predictions are from the truth, in the head's units.</summary>
/// <param name="Count">Samples measured.</param>
/// <param name="Mae">Mean absolute error.</param>
/// <param name="Rmse">Root mean squared error.</param>
/// <param name="R2">
/// Coefficient of determination, 1 − Σ(y − ŷ)² ÷ Σ(y − ȳ)²; as scikit-learn's <c>r2_score</c>, 1 for perfect
/// predictions of constant truth and 0 for imperfect ones.
/// </param>
/// <param name="MeanError">Mean of ŷ − y: above 0 when the model predicts too high on average.</param>
public readonly record struct RegressionMetrics(int Count, double Mae, double Rmse, double R2, double MeanError)
{
    /// <summary>Metrics of paired values; all but <see cref="Count"/> are <see cref="double.NaN"/> for no values.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static RegressionMetrics From(ReadOnlySpan<float> actual, ReadOnlySpan<float> predicted)
    {
        if (actual.Length != predicted.Length)
        {
            throw new ArgumentException($"Got {actual.Length} true values but {predicted.Length} predictions.", nameof(predicted));
        }

        var count = actual.Length;
        if (count == 0)
        {
            return new RegressionMetrics(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        double mean = 0;
        foreach (var value in actual)
        {
            mean += value;
        }

        mean /= count;
        double absolute = 0, squared = 0, signed = 0, total = 0;
        for (var i = 0; i < count; i++)
        {
            var error = (double)predicted[i] - actual[i];
            absolute += Math.Abs(error);
            squared += error * error;
            signed += error;
            total += (actual[i] - mean) * (actual[i] - mean);
        }

        var r2 = total > 0 ? 1 - (squared / total) : squared == 0 ? 1 : 0;
        return new RegressionMetrics(count, absolute / count, Math.Sqrt(squared / count), r2, signed / count);
    }
}
