using Face2Data.Reporting.Charts;
using Face2Data.Datasets;
using Face2Data.Imaging;
using Face2Data.Reporting.Tests.Evaluation;
using OpenCvSharp;

namespace Face2Data.Reporting.Tests.Charts;

public sealed class PredictionGridTests
{
    private static readonly PredictionGridOptions Small = new() { Columns = 4, CellSize = 64 };

    [Fact]
    public void Write_lays_out_faces_with_a_line_per_head_and_frames_mistakes_in_red()
    {
        using var folder = new TempDirectory();
        // Six solid green faces; SixPeople's samples 1 (race wrong) and 3 (gender wrong) are mistakes, sample 5's
        // unknown race is not (age errors are all within 10% of 0–116).
        using var cache = GreenFaces(folder.Path, 6);
        var path = Path.Combine(folder.Path, "grid.png");

        var drawn = PredictionGrid.Write(path, TestPredictions.SixPeople(), cache, Small);

        // 4 columns × 64 px; title 28 px + 2 rows × (64 face + 3 heads × 18 + 6) = 276.
        Assert.Equal(6, drawn);
        Assert.Equal((256, 276), PredictionGrid.SizeFor(6, 3, Small));
        PngAssert.IsChart(path, 256, 276);
        using var grid = Cv2.ImRead(path);
        // Row 0 holds samples 0–3 (1 and 3 framed), row 1 samples 4 and 5; pixel (row, column) inside each frame.
        var red = new Vec3b(0, 0, 220);
        var green = new Vec3b(0, 200, 0);
        Assert.Equal([green, red, green, red, green, green], Enumerable.Range(0, 6).Select(i => grid.At<Vec3b>(28 + (i / 4 * 124) + 1, (i % 4 * 64) + 1)));
        Assert.Equal(green, grid.At<Vec3b>(28 + 32, 64 + 32));
    }

    [Fact]
    public void Pick_spreads_the_faces_evenly()
    {
        Assert.Equal([0, 25, 50, 75], PredictionGrid.Pick(100, 4));
        Assert.Equal([0, 1, 2], PredictionGrid.Pick(3, 16));
    }

    private static PreprocessedImageCache GreenFaces(string folder, int count)
    {
        using var face = new Mat(24, 24, MatType.CV_8UC3, new Scalar(0, 200, 0));
        Cv2.ImEncode(".png", face, out var png);
        var dataset = new InMemoryDataset(
            TestPredictions.AgeGenderRace,
            Enumerable.Range(0, count).Select(i => new FaceSample($"person{i}.jpg", [20, 0, 0])).ToArray(),
            Enumerable.Range(0, count).Select(_ => png).ToArray());
        return PreprocessedImageCache.LoadOrBuild(dataset, new ImagePreprocessing { Size = 24 }, Path.Combine(folder, "cache"));
    }
}
