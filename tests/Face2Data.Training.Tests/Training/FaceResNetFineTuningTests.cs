using System.CommandLine;
using Face2Data.Cli;
using Face2Data.Cli.Commands;
using Face2Data.Datasets;
using Face2Data.Onnx.Converters;
using Face2Data.Training.Models;
using Face2Data.Training.Training;

namespace Face2Data.Training.Tests.Training;

/// <summary>
/// The trainer fine-tunes the whole face-resnet network from face-api.js's weights (<see cref="TrainingOptions.LoadPretrained"/>,
/// <c>face2data train --backbone</c>), with face-api.js's normalization, and refuses it without them.
/// </summary>
[Collection(TorchRandomCollection.Name)]
public sealed class FaceResNetFineTuningTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("face-resnet-tune-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_whole_network_trains_from_the_given_weights_with_face_api_preprocessing()
    {
        var dataset = SyntheticFaces.Create(Path.Combine(_folder, "faces"), count: 12, size: 64, seed: 2);
        var split = DatasetSplit.Create(dataset, new DatasetSplitOptions { Seed = 1, TestFraction = 0.2, ValidationFraction = 0.25 });
        var data = TrainingData.From(dataset, split, Path.Combine(_folder, "cache"));
        var weights = TfjsWeights.Read(FaceRecognitionWeights.Write(_folder, seed: 3));
        var spec = ModelSpec.For("face-resnet", dataset.Schema, 150);
        var options = new TrainingOptions
        {
            OutputDirectory = Path.Combine(_folder, "run"),
            Stages = [new TrainingStage(150, 1)],
            BatchSize = 4,
            Seed = 1,
            Augmentation = AugmentationOptions.None,
            LoadPretrained = model => ((FaceResNet)model).Trunk.LoadFaceApiWeights(weights),
        };

        var result = new Trainer(spec, options).Train(data);

        var (trained, info) = Checkpoint.Load(result.BestCheckpoint);
        using (trained)
        using (var start = (FaceResNet)spec.Create())
        {
            start.Trunk.LoadFaceApiWeights(weights);
            Assert.Equal(FaceRecognitionResNet.Preprocessing().Mean, info.Preprocessing.Mean);
            Assert.Equal([1f, 1f, 1f], info.Preprocessing.Std);
            // Fine-tuned: every trunk weight the features use moved from face-api.js's, by a few optimizer steps' worth;
            // the descriptor layer, which no head reads, kept its published values.
            var moves = ((FaceResNet)trained).Trunk.named_parameters().Zip(start.Trunk.named_parameters())
                .ToDictionary(p => p.First.name, p => (p.First.parameter - p.Second.parameter).abs().max().item<float>());
            Assert.Equal(0f, moves["descriptor.weight"]);
            Assert.All(moves.Where(m => m.Key != "descriptor.weight"), move => Assert.InRange(move.Value, 1e-7f, 0.05f));
        }
    }

    [Fact]
    public void Without_weights_or_at_another_size_it_is_refused()
    {
        var spec = ModelSpec.For("face-resnet", Face2Data.Schema.AttributeSchema.UtkFace, 150);

        var none = Assert.Throws<ArgumentException>(() => new Trainer(spec, new TrainingOptions { OutputDirectory = _folder, Stages = [new TrainingStage(150, 1)] }));
        var resized = Assert.Throws<ArgumentException>(() => new Trainer(spec, new TrainingOptions { OutputDirectory = _folder, Stages = [new TrainingStage(96, 1), new TrainingStage(150, 1)], LoadPretrained = _ => { } }));

        Assert.Contains("--backbone", none.Message);
        Assert.Contains("fixed input size (150 px)", resized.Message);
    }

    [Theory]
    [InlineData(new[] { "--model", "f2d", "--size", "24" }, "--backbone gives face-resnet's starting weights; the model here is f2d.")]
    [InlineData(new[] { "--model", "face-resnet", "--size", "150", "--model-options", """{"AgeGenderFeatures":true}""" },
        "--backbone loads the face recognition ResNet only, and these model options read the age and gender network too")]
    public async Task Backbone_is_for_face_resnet_without_the_age_and_gender_network_only(string[] model, string expected)
    {
        SyntheticFaces.Create(Path.Combine(_folder, "faces"), count: 4, size: 32, seed: 1);
        var manifest = FaceRecognitionWeights.Write(_folder, seed: 1);
        using var error = new StringWriter();

        var code = await CommandErrors.InvokeAsync(new RootCommand { TrainCommand.Create() },
            ["train", "--data", Path.Combine(_folder, "faces"), .. model, "--epochs", "1", "--backbone", manifest, "--out", Path.Combine(_folder, "run")],
            error);

        Assert.Equal(CommandErrors.UserError, code);
        Assert.Contains(expected, error.ToString());
    }
}
