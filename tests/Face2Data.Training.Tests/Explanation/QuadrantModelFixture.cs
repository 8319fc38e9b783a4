using System.Text.Json;
using Face2Data.Datasets;
using Face2Data.Imaging;
using Face2Data.Inference;
using Face2Data.Training.Export;
using Face2Data.Training.Models;
using Face2Data.Training.Training;
using TorchSharp;

namespace Face2Data.Training.Tests.Explanation;

/// <summary>
/// A tiny position-aware network (SeedNet: convolutions, then a flattened dense layer) trained on
/// <see cref="QuadrantTextures"/>, and the same architecture left untrained with other random weights; both exported
/// to ONNX. Training takes a few seconds on two cores.
/// </summary>
public sealed class QuadrantModelFixture : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("f2d-explain-").FullName;

    public QuadrantModelFixture()
    {
        var dataset = new QuadrantTextures(count: 800, seed: 5);
        var split = DatasetSplit.Create(dataset, new DatasetSplitOptions { Seed = 5, TestFraction = 0, ValidationFraction = 0.2 });
        var data = TrainingData.From(dataset, split, Path.Combine(_directory, "cache"));
        var spec = new ModelSpec("seed", QuadrantTextures.TargetSchema.ToJson(), QuadrantTextures.Size, JsonSerializer.Serialize(new SeedNetOptions
        {
            Filters = [8, 16],
            Pools = [2, 2],
            ConvDropout = 0,
            Tower = new HeadTowerOptions(Hidden: 32, BatchNorm: false, Dropout: 0),
        }));
        var options = new TrainingOptions
        {
            OutputDirectory = Path.Combine(_directory, "run"),
            Stages = [new TrainingStage(QuadrantTextures.Size, 6)],
            BatchSize = 32,
            LearningRate = 3e-3,
            Augmentation = AugmentationOptions.None,
            PlateauPatience = 0,
            EarlyStoppingPatience = 0,
            LabelSmoothing = 0.2,
            WeightDecay = 1e-4,
            Seed = 9,
        };

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = new Trainer(spec, options).Train(data);
        TrainingSeconds = clock.Elapsed.TotalSeconds;
        ValidationAccuracy = result.History.Single(e => e.Epoch == result.BestEpoch).Validation.Single().Accuracy;

        var (trained, _) = Checkpoint.Load(result.BestCheckpoint);
        using (trained)
        {
            Trained = Export(trained, "quadrant-trained");
        }

        torch.manual_seed(1234);
        using var untrained = spec.Create();
        Untrained = Export(untrained, "quadrant-untrained");
    }

    /// <summary>The trained model's validation accuracy at its best epoch.</summary>
    public double ValidationAccuracy { get; }

    /// <summary>Seconds spent training.</summary>
    public double TrainingSeconds { get; }

    /// <summary>The trained model, ONNX bytes.</summary>
    public byte[] Trained { get; }

    /// <summary>The same architecture with fresh random weights, ONNX bytes.</summary>
    public byte[] Untrained { get; }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static byte[] Export(MultiHeadModel model, string name)
    {
        model.eval();
        var manifest = new ModelManifest
        {
            Name = name,
            Architecture = "seed-f8x16",
            Schema = QuadrantTextures.TargetSchema,
            Preprocessing = new ImagePreprocessing { Size = QuadrantTextures.Size },
            CreatedUtc = DateTimeOffset.UnixEpoch,
        };
        return OnnxExporter.ExportToBytes(model, manifest.Schema, QuadrantTextures.Size, manifest.ToMetadata());
    }
}
