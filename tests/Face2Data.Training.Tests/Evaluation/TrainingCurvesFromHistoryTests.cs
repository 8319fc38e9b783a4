using Face2Data.Reporting.Charts;
using Face2Data.Training.Training;

namespace Face2Data.Training.Tests.Evaluation;

/// <summary>TrainingCurves (Core) reads the history.csv that TrainingHistory (Training) writes.</summary>
public sealed class TrainingCurvesFromHistoryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("f2d-curves-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Read_finds_every_curve_of_a_history_written_by_the_trainer()
    {
        EpochMetrics Epoch(int epoch, double loss) => new()
        {
            Epoch = epoch,
            InputSize = epoch < 3 ? 16 : 24,
            LearningRate = 1e-3,
            TrainLoss = loss,
            ValidationLoss = loss + 0.5,
            Train = [new HeadMetrics("age", loss, double.NaN, 10 - epoch, 12 - epoch, 0.1 * epoch), new HeadMetrics("carrying_bag", loss / 2, 0.5 + (0.1 * epoch), double.NaN, double.NaN, double.NaN)],
            Validation = [new HeadMetrics("age", loss, double.NaN, 11 - epoch, 13 - epoch, 0.05 * epoch), new HeadMetrics("carrying_bag", loss / 2, 0.45 + (0.1 * epoch), double.NaN, double.NaN, double.NaN)],
            Seconds = 1,
            ImagesPerSecond = 100,
        };
        TrainingHistory.Write(_directory, [Epoch(1, 3), Epoch(2, 2.5), Epoch(3, 2)]);

        var curves = TrainingCurves.Read(Path.Combine(_directory, "history.csv"));
        var charts = TrainingCurves.Write(Path.Combine(_directory, "history.csv"), _directory);

        Assert.Equal(["loss", "age loss", "age MAE", "age RMSE", "age R²", "carrying_bag loss", "carrying_bag accuracy"], curves.Select(c => c.Title));
        Assert.Equal([3.5, 3, 2.5], curves[0].Validation);
        Assert.Equal([9.0, 8, 7], curves[2].Train);
        Assert.Equal([0.55, 0.65, 0.75], curves[6].Validation.Select(v => Math.Round(v, 6)));
        Assert.All(charts, c => Assert.True(new FileInfo(Path.Combine(_directory, c.File)).Length > 1000));
    }
}
