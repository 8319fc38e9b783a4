using Face2Data.Reporting.Charts;
using Face2Data.Datasets;
using Face2Data.Reporting.Evaluation;
using Face2Data.Reporting.Tests.Evaluation;

namespace Face2Data.Reporting.Tests.Charts;

public sealed class DatasetChartsTests
{
    [Fact]
    public void Write_draws_a_pie_per_categorical_head_and_bins_and_histogram_per_regression_head()
    {
        using var folder = new TempDirectory();
        var dataset = new InMemoryDataset(TestPredictions.AgeGenderRace, Enumerable.Range(0, 40)
            .Select(i => new FaceSample($"{i}.jpg", [i * 2.5f, i % 2, i % 3 == 0 ? 1 : 0]))
            .ToArray());

        var charts = DatasetCharts.Write(DatasetStatistics.From(dataset), folder.Path);

        Assert.Equal(["pie_age_bins.png", "histogram_age.png", "pie_gender.png", "pie_race.png"], charts.Select(c => c.File));
        Assert.Equal(["age", "age", "gender", "race"], charts.Select(c => c.Head));
        foreach (var chart in charts)
        {
            PngAssert.IsChart(Path.Combine(folder.Path, chart.File), DatasetCharts.Width, DatasetCharts.Height);
        }
    }

    [Fact]
    public void WritePie_of_no_samples_still_draws_a_chart()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "empty.png");

        DatasetCharts.WritePie(path, "nothing", ["a", "b"], [0, 0], 300, 200);

        PngAssert.IsChart(path, 300, 200);
    }

    [Fact]
    public void WritePie_rejects_counts_without_labels()
    {
        var error = Assert.Throws<ArgumentException>(() => DatasetCharts.WritePie("x.png", "t", ["a"], [1, 2]));

        Assert.StartsWith("A pie needs one label per count, got 1 labels and 2 counts.", error.Message);
    }

    [Fact]
    public void WriteHistogram_draws_at_the_requested_size()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "h.png");

        DatasetCharts.WriteHistogram(path, "ages", "age (years)", Histogram.Of([1f, 2f, 2f, 3f, 10f, 40f], 20), 640, 400);

        PngAssert.IsChart(path, 640, 400);
    }
}
