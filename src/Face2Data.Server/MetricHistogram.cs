
namespace Face2Data.Server;

/// <summary>A Prometheus histogram: counts of observations at or below each bound, their sum and their count. Thread-safe.</summary>
internal sealed class MetricHistogram
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private long _count;
    private double _sum;

    /// <summary>Creates a histogram with increasing upper bounds (the implicit last bucket is +Inf).</summary>
    public MetricHistogram(IReadOnlyList<double> bounds)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        for (var i = 1; i < bounds.Count; i++)
        {
            if (!(bounds[i] > bounds[i - 1]))
            {
                throw new ArgumentException("Bucket bounds must increase.", nameof(bounds));
            }
        }

        _bounds = [.. bounds];
        _counts = new long[_bounds.Length + 1];
    }

    /// <summary>Bucket upper bounds, without +Inf.</summary>
    public IReadOnlyList<double> Bounds => _bounds;

    /// <summary>Observations so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Sum of the observations.</summary>
    public double Sum => Volatile.Read(ref _sum);

    /// <summary>Records one observation.</summary>
    public void Observe(double value)
    {
        var bucket = 0;
        while (bucket < _bounds.Length && value > _bounds[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Increment(ref _count);
        var sum = Volatile.Read(ref _sum);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref _sum, sum + value, sum);
            if (seen.Equals(sum))
            {
                break;
            }

            sum = seen;
        }
    }

    /// <summary>Cumulative counts: observations ≤ each bound, then the total (+Inf).</summary>
    public long[] CumulativeCounts()
    {
        var cumulative = new long[_counts.Length];
        long running = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            running += Interlocked.Read(ref _counts[i]);
            cumulative[i] = running;
        }

        return cumulative;
    }
}
