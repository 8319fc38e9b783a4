using Face2Data.Datasets;
using Face2Data.Training.Models;
using Face2Data.Training.Training;

namespace Face2Data.Training.Tests.Training;

[Collection(TorchRandomCollection.Name)]
public sealed class TrainerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("f2d-train-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Training_on_real_utkface_faces_lowers_the_loss_and_beats_chance_on_gender()
    {
        var dataset = FaceDatasetSubset.Random(UtkFaceDataset.Open(TestPaths.UtkFaceArchive), 1500, seed: 7);
        var split = DatasetSplit.Create(dataset, new DatasetSplitOptions { Seed = 7 });
        var schema = dataset.Schema.WithLossWeights(new Dictionary<string, float> { ["age"] = 1, ["gender"] = 1, ["race"] = 1 });
        var data = TrainingData.From(dataset, split, Path.Combine(_directory, "cache"), schema);
        var options = new TrainingOptions
        {
            OutputDirectory = Path.Combine(_directory, "run"),
            Stages = [new TrainingStage(32, 6)],
            BatchSize = 32,
            LearningRate = 3e-3,
            Seed = 7,
        };

        var result = new Trainer(ModelSpec.For("f2d", schema, 32), options).Train(data);

        Assert.Equal(6, result.History.Count);
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss * 0.9, $"train loss {result.History[0].TrainLoss} → {result.History[^1].TrainLoss}");
        var validationGender = split.Validation.Select(i => dataset.Samples[i].Labels[1]).ToList();
        var chance = Math.Max(validationGender.Count(g => g == 0), validationGender.Count(g => g == 1)) / (double)validationGender.Count;
        var best = result.History.Single(e => e.Epoch == result.BestEpoch);
        var accuracy = best.Validation.Single(h => h.Head == "gender").Accuracy;
        Assert.True(accuracy > chance + 0.05, $"gender accuracy {accuracy:P1} vs chance {chance:P1}");
        Assert.True(File.Exists(result.BestCheckpoint));
        Assert.True(File.Exists(Path.Combine(options.OutputDirectory, "history.csv")));
        Assert.Equal(7, File.ReadAllLines(Path.Combine(options.OutputDirectory, "history.csv")).Length);
    }

    [Fact]
    public void Cancelled_run_resumes_to_the_same_result_as_an_uninterrupted_one()
    {
        var dataset = SyntheticFaces.Create(Path.Combine(_directory, "faces"), count: 96, size: 24);
        var split = DatasetSplit.Create(dataset, new DatasetSplitOptions { Seed = 1 });
        var data = TrainingData.From(dataset, split, Path.Combine(_directory, "cache"));
        TrainingOptions Options(string name, bool resume = false) => new()
        {
            OutputDirectory = Path.Combine(_directory, name),
            Stages = [new TrainingStage(16, 2), new TrainingStage(24, 2)],
            BatchSize = 16,
            Seed = 3,
            Resume = resume,
        };
        var spec = ModelSpec.For("f2d", dataset.Schema, 24);

        var uninterrupted = new Trainer(spec, Options("whole")).Train(data);

        using var cancel = new CancellationTokenSource();
        var progress = new InlineProgress(report =>
        {
            if (report.Epoch == 3 && report.Step == 2)
            {
                cancel.Cancel();
            }
        });
        Assert.Throws<OperationCanceledException>(() => new Trainer(spec, Options("split")).Train(data, progress, cancel.Token));
        Assert.Equal(2, Checkpoint.ReadInfo(Path.Combine(_directory, "split", Trainer.LastFileName)).Epoch);

        var resumed = new Trainer(spec, Options("split", resume: true)).Train(data);

        Assert.Equal(uninterrupted.History.Select(e => e.Epoch), resumed.History.Select(e => e.Epoch));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(uninterrupted.History[i].ValidationLoss, resumed.History[i].ValidationLoss, 4);
            Assert.Equal(uninterrupted.History[i].TrainLoss, resumed.History[i].TrainLoss, 4);
        }
    }

    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
