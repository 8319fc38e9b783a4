using System.CommandLine;
using Face2Data.Cli;
using Face2Data.Cli.Commands;
using Face2Data.Inference;
using Face2Data.Training.Models;
using Face2Data.Training.Training;

namespace Face2Data.Training.Tests.Features;

/// <summary><c>face2data train-heads</c> end to end on a small UTKFace-style folder, then <c>export</c>; and its errors.</summary>
[Collection(TorchRandomCollection.Name)]
public sealed class TrainHeadsCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("train-heads-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_command_trains_heads_whose_checkpoint_exports_with_face_api_preprocessing()
    {
        SyntheticFaces.Create(Path.Combine(_folder, "faces"), count: 20, size: 64, seed: 3);
        var manifest = FaceRecognitionWeights.Write(_folder, seed: 2);
        var run = Path.Combine(_folder, "run");
        var onnx = Path.Combine(_folder, "heads.onnx");
        var root = new RootCommand { TrainHeadsCommand.Create(), ExportCommand.Create() };
        using var error = new StringWriter();

        var trained = await CommandErrors.InvokeAsync(root,
            ["train-heads", "--data", Path.Combine(_folder, "faces"), "--backbone", manifest, "--out", run, "--views", "1", "--augment", "flip",
             "--epochs", "2", "--batch-size", "8", "--threads", "1", "--cache-dir", Path.Combine(_folder, "cache"), "--test-fraction", "0.2", "--val-fraction", "0.25"],
            error);
        var exported = await CommandErrors.InvokeAsync(root, ["export", "--checkpoint", Path.Combine(run, "best"), "--out", onnx], error);

        Assert.Equal("", error.ToString());
        Assert.Equal(0, trained);
        Assert.Equal(0, exported);
        Assert.True(File.Exists(Path.Combine(run, "split.json")));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_folder, "cache", "features")).Length);
        Assert.Equal("face-resnet", Checkpoint.ReadInfo(Path.Combine(run, Trainer.BestFileName)).Model.Architecture);
        using var model = OnnxFaceModel.Load(onnx);
        Assert.Equal(["age", "gender", "race"], model.Schema.Heads.Select(h => h.Name));
        Assert.Equal(150, model.Manifest.Preprocessing.Size);
        Assert.Equal(FaceRecognitionResNet.MeanRgb.Select(m => m / 255f), model.Manifest.Preprocessing.Mean);
    }

    [Fact]
    public async Task A_missing_backbone_is_named_in_one_line()
    {
        SyntheticFaces.Create(Path.Combine(_folder, "faces"), count: 4, size: 32, seed: 1);
        using var error = new StringWriter();

        var code = await CommandErrors.InvokeAsync(new RootCommand { TrainHeadsCommand.Create() },
            ["train-heads", "--data", Path.Combine(_folder, "faces"), "--backbone", Path.Combine(_folder, "none.json"), "--out", Path.Combine(_folder, "run")],
            error);

        Assert.Equal(CommandErrors.UserError, code);
        Assert.StartsWith("face2data: No weights manifest at", error.ToString());
    }

    [Theory]
    [InlineData("""{"AgeGenderFeatures":true}""", false, "give its weights with --age-gender-backbone")]
    [InlineData("""{"Levels":2}""", true, "--age-gender-backbone is only read with the model option")]
    public async Task The_age_and_gender_backbone_goes_with_its_model_option_or_is_refused_in_one_line(string options, bool giveAgeGender, string expected)
    {
        SyntheticFaces.Create(Path.Combine(_folder, "faces"), count: 4, size: 32, seed: 1);
        var manifest = FaceRecognitionWeights.Write(_folder, seed: 2);
        var ageGender = AgeGenderWeights.Write(Directory.CreateDirectory(Path.Combine(_folder, "age-gender")).FullName, seed: 3, channels: AgeGenderXception.PublishedChannels);
        using var error = new StringWriter();
        string[] arguments =
        [
            "train-heads", "--data", Path.Combine(_folder, "faces"), "--backbone", manifest, "--out", Path.Combine(_folder, "run"),
            "--model-options", options, "--views", "0", "--epochs", "1", "--cache-dir", Path.Combine(_folder, "cache"),
            .. giveAgeGender ? new[] { "--age-gender-backbone", ageGender } : [],
        ];

        var code = await CommandErrors.InvokeAsync(new RootCommand { TrainHeadsCommand.Create() }, arguments, error);

        Assert.Equal(CommandErrors.UserError, code);
        Assert.StartsWith("face2data: ", error.ToString());
        Assert.Contains(expected, error.ToString());
        Assert.Single(error.ToString().TrimEnd().Split('\n'));
    }

    [Fact]
    public void Train_refuses_the_pretrained_architecture_and_says_which_command_trains_it()
    {
        var spec = ModelSpec.For("face-resnet", Face2Data.Schema.AttributeSchema.UtkFace, 150);

        var error = Assert.Throws<ArgumentException>(() => new Trainer(spec, new TrainingOptions { OutputDirectory = _folder, Stages = [new TrainingStage(150, 1)] }));

        Assert.Contains("face2data train-heads", error.Message);
    }
}
