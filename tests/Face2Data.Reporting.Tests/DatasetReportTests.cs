using Face2Data.Reporting.Charts;
using Face2Data.Datasets;
using Face2Data.Reporting.Evaluation;
using Face2Data.Reporting.Tests.Evaluation;
using Face2Data.Reporting;

namespace Face2Data.Reporting.Tests;

public sealed class DatasetReportTests
{
    [Fact]
    public void Write_creates_the_charts_and_summaries_with_the_counts()
    {
        using var folder = new TempDirectory();
        var dataset = new InMemoryDataset(TestPredictions.AgeGenderRace, Enumerable.Range(0, 10)
            .Select(i => new FaceSample($"{i}.jpg", [i * 9f, i < 7 ? 0 : 1, i % 2]))
            .ToArray());

        var files = DatasetReport.Write(DatasetStatistics.From(dataset), folder.Path);

        Assert.Equal(
            ["pie_age_bins.png", "histogram_age.png", "pie_gender.png", "pie_race.png", "summary.md", "summary.html"],
            files.Select(Path.GetFileName));
        foreach (var png in files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)))
        {
            PngAssert.IsChart(png, DatasetCharts.Width, DatasetCharts.Height);
        }

        var markdown = File.ReadAllText(files[4]);
        Assert.StartsWith("# Dataset statistics\n\n10 samples in memory; heads: age, gender, race.", markdown);
        Assert.Contains("| m | 7 | 70.0% |", markdown);
        Assert.Contains("| f | 3 | 30.0% |", markdown);
        // Ages 0, 9, …, 81: <10 holds 0 and 9; 80+ holds 81.
        Assert.Contains("| <10 | 2 | 20.0% |", markdown);
        Assert.Contains("| 80+ | 1 | 10.0% |", markdown);
        Assert.Contains("![gender: 10 samples](pie_gender.png)", markdown);
        Assert.Contains("<td>&lt;10</td><td class=\"n\">2</td>", File.ReadAllText(files[5]));
    }
}
