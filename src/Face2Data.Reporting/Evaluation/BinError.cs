using Face2Data.Schema;

namespace Face2Data.Reporting.Evaluation;

/// <summary>A regression head's mean absolute error over the samples whose true value falls in one bin.</summary>
/// <param name="Bin">The bin's label, such as <c>20–30</c>.</param>
/// <param name="Count">Samples in the bin.</param>
/// <param name="Mae">Their mean absolute error; <see cref="double.NaN"/> when the bin is empty.</param>
public readonly record struct BinError(string Bin, int Count, double Mae)
{
    /// <summary>The MAE of each bin of <paramref name="bins"/>, the samples binned by their true value.</summary>
    public static IReadOnlyList<BinError> For(ValueBins bins, ReadOnlySpan<float> actual, ReadOnlySpan<float> predicted)
    {
        ArgumentNullException.ThrowIfNull(bins);
        if (actual.Length != predicted.Length)
        {
            throw new ArgumentException($"Got {actual.Length} true values but {predicted.Length} predictions.", nameof(predicted));
        }

        var counts = new int[bins.Count];
        var sums = new double[bins.Count];
        for (var i = 0; i < actual.Length; i++)
        {
            var bin = bins.IndexOf(actual[i]);
            counts[bin]++;
            sums[bin] += Math.Abs((double)predicted[i] - actual[i]);
        }

        return Enumerable.Range(0, bins.Count)
            .Select(b => new BinError(bins.Labels[b], counts[b], counts[b] == 0 ? double.NaN : sums[b] / counts[b]))
            .ToArray();
    }
}
