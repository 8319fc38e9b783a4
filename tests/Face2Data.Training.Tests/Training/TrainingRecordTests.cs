using Face2Data.Training.Training;
using Xunit;

namespace Face2Data.Training.Tests.Training;

public sealed class TrainingRecordTests
{
    [Fact]
    public void Card_section_reports_split_sizes_epochs_best_epoch_and_minutes()
    {
        var run = Directory.CreateTempSubdirectory("face2data-record-");
        try
        {
            TrainingHistory.Write(run.FullName, [Epoch(1, 64, 3.0, 60), Epoch(2, 64, 2.5, 90), Epoch(3, 96, 2.7, 150)]);
            File.WriteAllText(Path.Combine(run.FullName, "split.json"),
                "{\"seed\": 42, \"test_fraction\": 0.15, \"validation_fraction\": 0.1, \"stratify_by\": \"race\", \"train\": [1, 2, 3], \"validation\": [4], \"test\": [5, 6]}");

            var section = TrainingRecord.ToCardSection(run.FullName, "2 CPU cores");

            Assert.Contains("train 3, validation 1, test 2 faces", section.Markdown);
            Assert.Contains("stratified by race", section.Markdown);
            Assert.Contains("Epochs: 3 (2 at 64 px, 1 at 96 px); kept: epoch 2", section.Markdown);
            Assert.Contains("Training time: 5.0 minutes", section.Markdown);
            Assert.Equal(2, section.Json!["best_epoch"]!.GetValue<int>());
            Assert.Equal(5.0, section.Json["minutes"]!.GetValue<double>());
            Assert.Equal("2 CPU cores", section.Json["hardware"]!.GetValue<string>());
        }
        finally
        {
            run.Delete(recursive: true);
        }
    }

    private static EpochMetrics Epoch(int epoch, int size, double validationLoss, double seconds) => new()
    {
        Epoch = epoch,
        InputSize = size,
        LearningRate = 1e-3,
        TrainLoss = validationLoss + 0.1,
        ValidationLoss = validationLoss,
        Train = [new HeadMetrics("gender", 0.3, 0.9, double.NaN, double.NaN, double.NaN)],
        Validation = [new HeadMetrics("gender", 0.3, 0.9, double.NaN, double.NaN, double.NaN)],
        Seconds = seconds,
        ImagesPerSecond = 100,
    };
}
