using Face2Data.Cli.LoadTesting;

namespace Face2Data.Cli.Tests.LoadTesting;

public sealed class LatencyStatisticsTests
{
    private static readonly double[] OneToHundred = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();

    [Theory]
    [InlineData(0, 1)]
    [InlineData(50, 50.5)]
    [InlineData(95, 95.05)]
    [InlineData(99, 99.01)]
    [InlineData(100, 100)]
    public void Percentile_interpolates_between_ranks(double percentile, double expected)
    {
        Assert.Equal(expected, LatencyStatistics.Percentile(OneToHundred, percentile), 1e-9);
    }

    [Fact]
    public void Percentile_of_one_value_is_that_value_and_of_none_is_NaN()
    {
        Assert.Equal(7.5, LatencyStatistics.Percentile([7.5], 99));
        Assert.True(double.IsNaN(LatencyStatistics.Percentile([], 50)));
    }

    [Fact]
    public void Percentile_outside_0_to_100_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyStatistics.Percentile(OneToHundred, 101));
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyStatistics.Percentile(OneToHundred, -1));
    }

    [Fact]
    public void Summarize_counts_errors_by_status_and_takes_latencies_in_any_order()
    {
        var latencies = new double[] { 40, 10, 30, 20 };
        var statuses = new Dictionary<int, int> { [200] = 4, [429] = 2, [0] = 1, [500] = 1 };

        var result = LatencyStatistics.Summarize(8, latencies, statuses, TimeSpan.FromSeconds(2));

        Assert.Equal(8, result.Concurrency);
        Assert.Equal(8, result.Requests);
        Assert.Equal(4, result.Errors);
        Assert.Equal(4.0, result.RequestsPerSecond);
        Assert.Equal(2.0, result.GoodputPerSecond);
        Assert.Equal(1.0, result.RejectedPerSecond);
        Assert.Equal(25, result.P50Ms);
        Assert.Equal(38.5, result.P95Ms, 1e-9);
        Assert.Equal(39.7, result.P99Ms, 1e-9);
        Assert.Equal(25, result.MeanMs);
        Assert.Equal(40, result.MaxMs);
        Assert.Equal([0, 200, 429, 500], result.Statuses.Keys);
    }

    [Fact]
    public void Summarize_of_a_level_without_successes_has_NaN_latencies()
    {
        var result = LatencyStatistics.Summarize(1, [], new Dictionary<int, int> { [0] = 3 }, TimeSpan.FromSeconds(1));

        Assert.Equal((3, 3), (result.Requests, result.Errors));
        Assert.True(double.IsNaN(result.P50Ms));
        Assert.True(double.IsNaN(result.MaxMs));
    }
}
