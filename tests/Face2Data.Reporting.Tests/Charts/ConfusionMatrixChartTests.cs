using Face2Data.Reporting.Charts;
using Face2Data.Reporting.Evaluation;

namespace Face2Data.Reporting.Tests.Charts;

public sealed class ConfusionMatrixChartTests
{
    [Theory]
    [InlineData(2, 480)]
    [InlineData(5, 560)]
    [InlineData(7, 720)]
    public void Write_draws_a_square_chart_sized_for_the_classes(int classes, int side)
    {
        using var folder = new TempDirectory();
        var counts = new int[classes, classes];
        for (var a = 0; a < classes; a++)
        {
            for (var p = 0; p < classes; p++)
            {
                counts[a, p] = a == p ? 20 + a : (a + p) % 3;
            }
        }

        var path = Path.Combine(folder.Path, "confusion.png");

        ConfusionMatrixChart.Write(new ConfusionMatrix(Enumerable.Range(0, classes).Select(c => $"class {c}").ToArray(), counts), "test", path);

        Assert.Equal(side, ConfusionMatrixChart.SizeFor(classes));
        PngAssert.IsChart(path, side, side);
    }
}
