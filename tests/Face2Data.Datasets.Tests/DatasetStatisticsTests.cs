using Face2Data.Datasets;
using Face2Data.Schema;

namespace Face2Data.Datasets.Tests;

public sealed class DatasetStatisticsTests
{
    [Fact]
    public void From_counts_classes_and_summarises_regression_values()
    {
        // Ages 4, 15, 15, 33, 90 and one unknown; genders m m f f f ?; races a a a b ? b.
        var dataset = new InMemoryDataset(TestSchemas.AgeGenderRace,
        [
            new FaceSample("0.jpg", [4, 0, 0]),
            new FaceSample("1.jpg", [15, 0, 0]),
            new FaceSample("2.jpg", [15, 1, 0]),
            new FaceSample("3.jpg", [33, 1, 1]),
            new FaceSample("4.jpg", [90, 1, float.NaN]),
            new FaceSample("5.jpg", [float.NaN, float.NaN, 1]),
        ]);

        var statistics = DatasetStatistics.From(dataset);

        Assert.Equal(6, statistics.SampleCount);
        var age = statistics.Heads[0];
        Assert.Equal((5, 1), (age.Known, age.Unknown));
        Assert.Equal(31.4, age.Mean, 10);
        Assert.Equal((4.0, 15.0, 90.0), (age.Min, age.Median, age.Max));
        // Population standard deviation: deviations −27.4, −16.4, −16.4, 1.6, 58.6; Σ² = 4725.2; √(4725.2/5).
        Assert.Equal(Math.Sqrt(4725.2 / 5), age.StandardDeviation, 10);
        Assert.Same(ValueBins.Age, age.Bins);
        Assert.Equal([1, 2, 0, 1, 0, 0, 1], age.BinCounts);
        Assert.Equal(20, age.Histogram!.Counts.Count);
        Assert.Equal(5, age.Histogram.Counts.Sum());
        Assert.Equal([2, 3], statistics.Heads[1].ClassCounts);
        Assert.Equal((5, 1), (statistics.Heads[1].Known, statistics.Heads[1].Unknown));
        Assert.Equal([3, 2], statistics.Heads[2].ClassCounts);
    }

    [Fact]
    public void Histogram_bins_like_numpy()
    {
        // numpy.histogram([1, 2, 2, 3, 10], 3) → counts [4, 0, 1], edges [1, 4, 7, 10] (the last bin includes 10).
        var histogram = Histogram.Of([1f, 2f, 2f, 3f, 10f], 3);

        Assert.Equal([1.0, 4, 7, 10], histogram.Edges);
        Assert.Equal([4, 0, 1], histogram.Counts);
    }

    [Fact]
    public void Histogram_of_equal_values_spans_half_a_unit_each_side_like_numpy()
    {
        var histogram = Histogram.Of([5f, 5f, float.NaN], 2);

        Assert.Equal([4.5, 5, 5.5], histogram.Edges);
        Assert.Equal([0, 2], histogram.Counts);
    }
}
