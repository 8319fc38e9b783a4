
namespace Face2Data.Server.Tests;

public sealed class MetricHistogramTests
{
    [Fact]
    public void Counts_are_cumulative_per_bound_with_sum_and_total()
    {
        var histogram = new MetricHistogram([1, 2, 5]);

        foreach (var value in new[] { 0.5, 1, 1.5, 4, 9, 100 })
        {
            histogram.Observe(value);
        }

        Assert.Equal([2L, 3, 4, 6], histogram.CumulativeCounts());
        Assert.Equal(116, histogram.Sum);
        Assert.Equal(6, histogram.Count);
    }

    [Fact]
    public async Task Concurrent_observations_are_all_counted()
    {
        var histogram = new MetricHistogram([0.5]);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                histogram.Observe(1);
            }
        })));

        Assert.Equal([0L, 40_000], histogram.CumulativeCounts());
        Assert.Equal(40_000, histogram.Sum);
    }

    [Fact]
    public void Bounds_must_increase()
    {
        Assert.Throws<ArgumentException>(() => new MetricHistogram([1, 1]));
    }
}
