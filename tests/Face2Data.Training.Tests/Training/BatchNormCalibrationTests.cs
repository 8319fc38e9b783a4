using System.CommandLine;
using Face2Data.Cli;
using Face2Data.Cli.Commands;
using Face2Data.Datasets;
using Face2Data.Imaging;
using Face2Data.Training.Models;
using Face2Data.Training.Training;
using TorchSharp;
using TorchSharp.Modules;

namespace Face2Data.Training.Tests.Training;

[Collection(TorchRandomCollection.Name)]
public sealed class BatchNormCalibrationTests : IDisposable
{
    private static readonly ImagePreprocessing Preprocessing = new() { Size = 24 };

    private readonly string _directory = Directory.CreateTempSubdirectory("f2d-calibrate-").FullName;
    private readonly UtkFaceDataset _dataset;
    private readonly DatasetSplit _split;
    private readonly TrainingData _data;

    public BatchNormCalibrationTests()
    {
        _dataset = SyntheticFaces.Create(Path.Combine(_directory, "faces"), count: 80, size: 24);
        _split = DatasetSplit.Create(_dataset, new DatasetSplitOptions { Seed = 1 });
        _data = TrainingData.From(_dataset, _split, Path.Combine(_directory, "cache"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Running_means_are_the_average_over_all_images_whatever_the_batch_size()
    {
        using var images = _data.Images(Preprocessing, CancellationToken.None);
        using var whole = NewModel();
        using var batched = NewModel();
        var train = _split.Train.Take(30).ToArray();

        Assert.Equal(30, BatchNormCalibration.Recalibrate(whole, train, images, Preprocessing, batchSize: 64));
        // 4+4+…+4+2: a last batch weighted like the others would move the means.
        Assert.Equal(30, BatchNormCalibration.Recalibrate(batched, train, images, Preprocessing, batchSize: 4));

        var pairs = Layers(whole).Zip(Layers(batched)).ToList();
        Assert.True(pairs.Count >= 5, $"{pairs.Count} BatchNorm layers");
        Assert.All(pairs, p => Assert.True(p.First.running_mean!.abs().max().item<float>() > 1e-3, "the statistics were not estimated"));
        // The first layer's input does not depend on the batch; deeper layers see inputs normalized by each batch's own
        // statistics, so only the first layer's mean is exactly the same at both batch sizes.
        var (first, firstBatched) = pairs[0];
        Assert.True(first.running_mean!.allclose(firstBatched.running_mean!, rtol: 1e-4, atol: 1e-5), "running means differ between batch sizes");
    }

    [Fact]
    public void Old_statistics_do_not_matter_weights_stay_and_the_model_is_left_in_eval_mode()
    {
        using var images = _data.Images(Preprocessing, CancellationToken.None);
        using var fresh = NewModel();
        using var spoiled = NewModel();
        using (torch.no_grad())
        {
            foreach (var layer in Layers(spoiled))
            {
                layer.running_mean!.fill_(100);
                layer.running_var!.fill_(50);
            }
        }

        var weights = spoiled.parameters().Select(p => p.detach().clone()).ToList();

        BatchNormCalibration.Recalibrate(fresh, _split.Train, images, Preprocessing, batchSize: 8);
        BatchNormCalibration.Recalibrate(spoiled, _split.Train, images, Preprocessing, batchSize: 8);

        foreach (var (a, b) in Layers(fresh).Zip(Layers(spoiled)))
        {
            Assert.True(a.running_mean!.allclose(b.running_mean!), "running means depend on the old values");
            Assert.True(a.running_var!.allclose(b.running_var!), "running variances depend on the old values");
            Assert.Equal(0.1, (double?)b.momentum);
            Assert.False(b.training);
        }

        Assert.All(spoiled.parameters().Zip(weights), p => Assert.True(p.First.allclose(p.Second, rtol: 0, atol: 0)));
        Assert.False(spoiled.training);
        foreach (var weight in weights)
        {
            weight.Dispose();
        }
    }

    [Fact]
    public async Task The_command_writes_a_calibrated_checkpoint_with_remeasured_validation_metrics()
    {
        var run = Path.Combine(_directory, "run");
        new Trainer(ModelSpec.For("f2d", _dataset.Schema, 24), new TrainingOptions
        {
            OutputDirectory = run,
            Stages = [new TrainingStage(24, 1)],
            BatchSize = 16,
            Seed = 2,
        }).Train(_data);
        var splitPath = Path.Combine(run, "split.json");
        _split.Save(splitPath);
        var output = Path.Combine(run, "calibrated.ckpt");
        using var error = new StringWriter();

        var code = await CommandErrors.InvokeAsync(
            new RootCommand { CalibrateCommand.Create() },
            ["calibrate", "--checkpoint", Path.Combine(run, "best"), "--data", Path.Combine(_directory, "faces"), "--split", splitPath, "--out", output, "--cache-dir", Path.Combine(_directory, "cache")],
            error);

        Assert.Equal(0, code);
        Assert.Equal("", error.ToString());
        var before = Checkpoint.ReadInfo(Path.Combine(run, Trainer.BestFileName));
        var after = Checkpoint.ReadInfo(output);
        Assert.Contains($"on {_split.Train.Count} un-augmented training images at 24 px", after.Calibration);
        Assert.Null(after.State);
        Assert.Equal(before.Epoch, after.Epoch);
        Assert.NotEqual(before.Metrics!.Validation.Single(h => h.Head == "age").Mae, after.Metrics!.Validation.Single(h => h.Head == "age").Mae);
        var (model, _) = Checkpoint.Load(output);
        model.Dispose();
    }

    [Fact]
    public async Task Train_with_calibrate_also_writes_the_calibrated_best_checkpoint()
    {
        var run = Path.Combine(_directory, "trained");
        using var error = new StringWriter();

        var code = await CommandErrors.InvokeAsync(
            new RootCommand { TrainCommand.Create() },
            ["train", "--data", Path.Combine(_directory, "faces"), "--size", "24", "--epochs", "1", "--batch-size", "16", "--augment", "none",
             "--out", run, "--cache-dir", Path.Combine(_directory, "cache"), "--seed", "3", "--calibrate"],
            error);

        Assert.Equal(0, code);
        var best = Checkpoint.ReadInfo(Path.Combine(run, Trainer.BestFileName));
        var calibrated = Checkpoint.ReadInfo(Path.Combine(run, BatchNormCalibration.CalibratedFileName));
        Assert.Equal("", best.Calibration);
        Assert.StartsWith("BatchNorm statistics re-estimated on ", calibrated.Calibration);
        Assert.Equal(best.Epoch, calibrated.Epoch);
    }

    [Fact]
    public async Task The_command_names_a_missing_checkpoint()
    {
        using var error = new StringWriter();

        var code = await CommandErrors.InvokeAsync(
            new RootCommand { CalibrateCommand.Create() },
            ["calibrate", "--checkpoint", Path.Combine(_directory, "none"), "--data", Path.Combine(_directory, "faces"), "--split", "x.json", "--out", Path.Combine(_directory, "c.ckpt")],
            error);

        Assert.Equal(CommandErrors.UserError, code);
        Assert.Contains("none", error.ToString());
        Assert.False(File.Exists(Path.Combine(_directory, "c.ckpt")));
    }

    [Fact]
    public void Calibrating_on_fewer_than_two_images_is_refused_before_anything_is_written()
    {
        var output = Path.Combine(_directory, "never.ckpt");

        var error = Assert.Throws<ArgumentException>(() => BatchNormCalibration.CalibrateCheckpoint(Path.Combine(_directory, "any"), output, _data, [_split.Train[0]]));

        Assert.Contains("at least 2 training images; 1 given", error.Message);
        Assert.False(File.Exists(output));
    }

    private MultiHeadModel NewModel()
    {
        torch.manual_seed(5);
        return ModelSpec.For("f2d", _dataset.Schema, 24).Create();
    }

    private static IEnumerable<NormBase> Layers(MultiHeadModel model) => model.modules().OfType<NormBase>();
}
