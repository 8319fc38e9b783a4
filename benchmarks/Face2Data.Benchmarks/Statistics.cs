namespace Face2Data.Benchmarks;

/// <summary>Order statistics of a sample.</summary>
internal static class Statistics
{
    /// <summary>The q-quantile (0 to 1) by linear interpolation between order statistics; NaN for no values.</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }

    public static double Median(IReadOnlyList<double> values) => Quantile(values, 0.5);
}
