namespace Face2Data.Datasets;

/// <summary>
/// Counts of values in equal-width bins, as NumPy's <c>histogram</c> makes them: bins span [min, max] of the values
/// (min − 0.5 to max + 0.5 when all are equal), each bin is [left, right) except the last, which includes max.
/// </summary>
/// <param name="Edges">Bin edges, ascending; one more than <paramref name="Counts"/>.</param>
/// <param name="Counts">Values per bin.</param>
public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<int> Counts)
{
    /// <summary>The histogram of <paramref name="values"/>; NaN values are left out.</summary>
    /// <exception cref="ArgumentException">There is no value that is not NaN, or one is infinite.</exception>
    public static Histogram Of(ReadOnlySpan<float> values, int binCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 1);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var value in values)
        {
            if (float.IsInfinity(value))
            {
                throw new ArgumentException("A histogram needs finite values.", nameof(values));
            }

            if (!float.IsNaN(value))
            {
                min = Math.Min(min, value);
                max = Math.Max(max, value);
            }
        }

        if (min > max)
        {
            throw new ArgumentException("A histogram needs at least one value.", nameof(values));
        }

        if (min == max)
        {
            min -= 0.5;
            max += 0.5;
        }

        var edges = Enumerable.Range(0, binCount + 1).Select(i => i == binCount ? max : min + ((max - min) * i / binCount)).ToArray();
        var counts = new int[binCount];
        foreach (var value in values)
        {
            if (!float.IsNaN(value))
            {
                var bin = (int)((value - min) / (max - min) * binCount);
                counts[Math.Clamp(bin, 0, binCount - 1)]++;
            }
        }

        return new Histogram(edges, counts);
    }
}
