using System.CommandLine;
using Face2Data.Cli;
using Face2Data.Cli.Commands;
using Face2Data.Datasets;
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
    public async Task Correct_priors_shifts_the_exported_probabilities_by_the_training_priors()
    {
        SyntheticFaces.Create(Path.Combine(_folder, "faces"), count: 20, size: 64, seed: 3);
        var manifest = FaceRecognitionWeights.Write(_folder, seed: 2);
        var run = Path.Combine(_folder, "run");
        var root = new RootCommand { TrainHeadsCommand.Create(), CorrectPriorsCommand.Create(), ExportCommand.Create() };
        using var error = new StringWriter();
        var codes = new List<int>
        {
            await CommandErrors.InvokeAsync(root,
                ["train-heads", "--data", Path.Combine(_folder, "faces"), "--backbone", manifest, "--out", run, "--views", "0",
                 "--epochs", "1", "--batch-size", "8", "--threads", "1", "--cache-dir", Path.Combine(_folder, "cache"), "--test-fraction", "0.2", "--val-fraction", "0.25"],
                error),
            await CommandErrors.InvokeAsync(root,
                ["correct-priors", "--checkpoint", Path.Combine(run, "best"), "--data", Path.Combine(_folder, "faces"), "--split", Path.Combine(run, "split.json"),
                 "--head", "gender", "--strength", "0.5", "--out", Path.Combine(run, "corrected.ckpt")],
                error),
            await CommandErrors.InvokeAsync(root, ["export", "--checkpoint", Path.Combine(run, "best"), "--out", Path.Combine(_folder, "plain.onnx")], error),
            await CommandErrors.InvokeAsync(root, ["export", "--checkpoint", Path.Combine(run, "corrected"), "--out", Path.Combine(_folder, "corrected.onnx")], error),
        };

        Assert.Equal("", error.ToString());
        Assert.All(codes, c => Assert.Equal(0, c));
        var dataset = DatasetOpener.Open(Path.Combine(_folder, "faces"), 0, _ => { });
        var priors = ClassPriorCorrection.Priors(dataset, DatasetSplit.Load(Path.Combine(run, "split.json"), dataset).Train, "gender");
        using var plain = OnnxFaceModel.Load(Path.Combine(_folder, "plain.onnx"));
        using var corrected = OnnxFaceModel.Load(Path.Combine(_folder, "corrected.onnx"));
        var input = new float[plain.Manifest.Preprocessing.TensorLength];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (float)Math.Sin(i * 0.37);
        }

        Assert.Empty(plain.Manifest.AfterTraining);
        Assert.StartsWith("gender logits shifted by -0.5·log(training prior) (male ", Assert.Single(corrected.Manifest.AfterTraining));
        var gender = plain.Schema.Heads.ToList().FindIndex(h => h.Name == "gender");
        var before = plain.Predict(input, 1).Values[gender];
        var after = corrected.Predict(input, 1).Values[gender];
        // softmax(logits + shift): the log-ratio of the two classes moves by exactly the difference of their shifts.
        var moved = Math.Log(after[1] / after[0]) - Math.Log(before[1] / before[0]);
        Assert.Equal(-0.5 * (Math.Log(priors[1]) - Math.Log(priors[0])), moved, 3);
        Assert.NotEqual(priors[0], priors[1]);
    }

    [Fact]
    public async Task Two_seeds_export_as_one_ensemble_with_measured_metrics_and_teach_a_third_whose_file_names_them()
    {
        SyntheticFaces.Create(Path.Combine(_folder, "faces"), count: 20, size: 64, seed: 3);
        var manifest = FaceRecognitionWeights.Write(_folder, seed: 2);
        var (first, second) = (Path.Combine(_folder, "seed1"), Path.Combine(_folder, "seed2"));
        var (ensemble, validation) = (Path.Combine(_folder, "ensemble.onnx"), Path.Combine(_folder, "validation"));
        var root = new RootCommand { TrainHeadsCommand.Create(), ExportCommand.Create(), EvaluateCommand.Create() };
        using var error = new StringWriter();
        string[] Train(string run, string seed, params string[] more) =>
        [
            "train-heads", "--data", Path.Combine(_folder, "faces"), "--backbone", manifest, "--out", run, "--views", "0", "--epochs", "1",
            "--batch-size", "8", "--threads", "1", "--seed", seed, "--cache-dir", Path.Combine(_folder, "cache"), "--test-fraction", "0.2", "--val-fraction", "0.25",
            .. more,
        ];
        var codes = new List<int>
        {
            await CommandErrors.InvokeAsync(root, Train(first, "1"), error),
            await CommandErrors.InvokeAsync(root, Train(second, "2", "--split", Path.Combine(first, "split.json")), error),
            await CommandErrors.InvokeAsync(root, ["export", "--checkpoint", Path.Combine(first, "best"), Path.Combine(second, "best"), "--out", ensemble, "--byte-weights"], error),
            await CommandErrors.InvokeAsync(root,
                ["evaluate", "--model", ensemble, "--data", Path.Combine(_folder, "faces"), "--split", Path.Combine(first, "split.json"), "--part", "validation",
                 "--out", validation, "--threads", "1", "--cache-dir", Path.Combine(_folder, "cache")],
                error),
            await CommandErrors.InvokeAsync(root,
                ["export", "--checkpoint", Path.Combine(first, "best"), Path.Combine(second, "best"), "--out", ensemble, "--byte-weights", "--metrics", validation, "--name", "pair"],
                error),
            // A third training taught by the two, in one file of one member's size; its file names the teacher.
            await CommandErrors.InvokeAsync(root,
                Train(Path.Combine(_folder, "student"), "3", "--split", Path.Combine(first, "split.json"), "--teacher", Path.Combine(first, "best"), Path.Combine(second, "best")),
                error),
            await CommandErrors.InvokeAsync(root, ["export", "--checkpoint", Path.Combine(_folder, "student", "best"), "--out", Path.Combine(_folder, "student.onnx")], error),
        };

        Assert.Equal("", error.ToString());
        Assert.All(codes, c => Assert.Equal(0, c));
        using var model = OnnxFaceModel.Load(ensemble);
        Assert.Equal("pair", model.Manifest.Name);
        Assert.Equal("face-resnet, ensemble of 2", model.Manifest.Architecture);
        Assert.Equal("Ensemble of 2 trainings (seed1, seed2): one frozen trunk, their probabilities and values averaged", Assert.Single(model.Manifest.AfterTraining));
        var report = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(validation, "report.json")))!;
        Assert.Equal(report["categorical"]!["gender"]!["accuracy"]!.GetValue<double>(), model.Manifest.Metrics["gender.accuracy"]);
        Assert.Equal(report["regression"]!["age"]!["mae"]!.GetValue<double>(), model.Manifest.Metrics["age.mae"]);
        Assert.Equal(["age.mae", "age.r2", "age.rmse", "gender.accuracy", "race.accuracy"], model.Manifest.Metrics.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("", model.Manifest.Teacher);
        using var student = OnnxFaceModel.Load(Path.Combine(_folder, "student.onnx"));
        Assert.Equal("0.5 of the training loss against the averaged predictions of 2 trainings (seed1, seed2)", student.Manifest.Teacher);
        Assert.Equal("face-resnet", student.Manifest.Architecture);
    }

    [Fact]
    public async Task Train_with_init_fine_tunes_a_train_heads_run_with_its_resnet_at_a_share_of_the_learning_rate()
    {
        SyntheticFaces.Create(Path.Combine(_folder, "faces"), count: 20, size: 64, seed: 3);
        var manifest = FaceRecognitionWeights.Write(_folder, seed: 2);
        var ageGender = AgeGenderWeights.Write(Directory.CreateDirectory(Path.Combine(_folder, "age-gender")).FullName, seed: 3, channels: AgeGenderXception.PublishedChannels);
        var (heads, tuned, frozen) = (Path.Combine(_folder, "heads"), Path.Combine(_folder, "tuned"), Path.Combine(_folder, "frozen"));
        var root = new RootCommand { TrainHeadsCommand.Create(), TrainCommand.Create(), ExportCommand.Create() };
        using var error = new StringWriter();
        // 12 training faces in one batch: one Adam step, whose first move of every weight with a gradient is ±lr exactly.
        string[] FineTune(string run, string scale) =>
        [
            "train", "--init", Path.Combine(heads, "best"), "--data", Path.Combine(_folder, "faces"), "--out", run, "--split", Path.Combine(heads, "split.json"),
            "--epochs", "1", "--batch-size", "16", "--lr", "0.001", "--pretrained-lr-scale", scale, "--augment", "none", "--threads", "1",
            "--cache-dir", Path.Combine(_folder, "cache"),
        ];
        var codes = new List<int>
        {
            await CommandErrors.InvokeAsync(root,
                ["train-heads", "--data", Path.Combine(_folder, "faces"), "--backbone", manifest, "--age-gender-backbone", ageGender, "--out", heads,
                 "--model-options", """{"TrainedBlocks":1,"AgeGenderFeatures":true,"AgeGenderInputSize":64}""", "--views", "0", "--epochs", "1",
                 "--batch-size", "8", "--threads", "1", "--cache-dir", Path.Combine(_folder, "cache"), "--test-fraction", "0.2", "--val-fraction", "0.25"],
                error),
            await CommandErrors.InvokeAsync(root, FineTune(tuned, "0.1"), error),
            await CommandErrors.InvokeAsync(root, FineTune(frozen, "0"), error),
            await CommandErrors.InvokeAsync(root, ["export", "--checkpoint", Path.Combine(tuned, "best"), "--out", Path.Combine(_folder, "tuned.onnx"), "--byte-weights"], error),
        };

        Assert.Equal("", error.ToString());
        Assert.All(codes, c => Assert.Equal(0, c));
        var (start, startInfo) = Checkpoint.Load(Path.Combine(heads, Trainer.BestFileName));
        var (after, afterInfo) = Checkpoint.Load(Path.Combine(tuned, Trainer.LastFileName));
        var (still, _) = Checkpoint.Load(Path.Combine(frozen, Trainer.LastFileName));
        using (start)
        using (after)
        using (still)
        {
            Assert.Equal(startInfo.Model, afterInfo.Model);
            var trained = TrainedNames(start);
            var moved = LargestMoves(start, after);
            var frozenMoved = LargestMoves(start, still);
            // The heads and the trained block take the learning rate, the ResNet's other blocks a tenth of it, and
            // the age and gender network stays as published.
            Assert.Equal(1e-3, moved.Where(m => trained.Contains(m.Key)).Max(m => m.Value), 5);
            Assert.Equal(1e-4, moved.Where(m => !trained.Contains(m.Key) && m.Key.Contains("resnet", StringComparison.OrdinalIgnoreCase) && !m.Key.Contains("descriptor", StringComparison.OrdinalIgnoreCase)).Max(m => m.Value), 6);
            Assert.All(moved.Where(m => m.Key.Contains("ageGender", StringComparison.OrdinalIgnoreCase)), m => Assert.Equal(0, m.Value));
            // At 0 the pretrained trunks are frozen: bit for bit the starting weights.
            Assert.All(frozenMoved.Where(m => !trained.Contains(m.Key)), m => Assert.Equal(0, m.Value));
            Assert.Equal(1e-3, frozenMoved.Where(m => trained.Contains(m.Key)).Max(m => m.Value), 5);
        }

        using var model = OnnxFaceModel.Load(Path.Combine(_folder, "tuned.onnx"));
        Assert.Equal(["age", "gender", "race"], model.Schema.Heads.Select(h => h.Name));
        Assert.Equal("Fine-tuned from heads (epoch 1), the pretrained trunk at 0.1 of the learning rate", Assert.Single(model.Manifest.AfterTraining));
    }

    [Theory]
    [InlineData(new[] { "--model-options", "{}" }, "face2data: --init takes the model from the checkpoint: leave out --model, --model-options, --size, --stages and --backbone.")]
    [InlineData(new[] { "--pretrained-lr-scale", "2" }, "face2data: The pretrained trunk's learning-rate share must be between 0 and 1, not 2. (Parameter 'options')")]
    public async Task Fine_tuning_refuses_a_second_model_or_a_share_outside_0_to_1_in_one_line(string[] options, string expected)
    {
        SyntheticFaces.Create(Path.Combine(_folder, "faces"), count: 20, size: 64, seed: 3);
        var manifest = FaceRecognitionWeights.Write(_folder, seed: 2);
        var root = new RootCommand { TrainHeadsCommand.Create(), TrainCommand.Create() };
        using var error = new StringWriter();
        await CommandErrors.InvokeAsync(root,
            ["train-heads", "--data", Path.Combine(_folder, "faces"), "--backbone", manifest, "--out", Path.Combine(_folder, "heads"), "--views", "0", "--epochs", "1",
             "--batch-size", "8", "--threads", "1", "--cache-dir", Path.Combine(_folder, "cache"), "--test-fraction", "0.2", "--val-fraction", "0.25"],
            error);

        var code = await CommandErrors.InvokeAsync(root,
            ["train", "--init", Path.Combine(_folder, "heads", "best"), "--data", Path.Combine(_folder, "faces"), "--out", Path.Combine(_folder, "tuned"),
             "--epochs", "1", "--threads", "1", "--cache-dir", Path.Combine(_folder, "cache"), .. options],
            error);

        Assert.Equal(CommandErrors.UserError, code);
        Assert.Equal(expected, error.ToString().TrimEnd());
    }

    // Names of the parameters a frozen-trunk model trains at the full learning rate (heads and trained blocks).
    private static HashSet<string> TrainedNames(MultiHeadModel model)
    {
        var handles = ((Face2Data.Training.Features.IFrozenTrunkModel)model).TrainableParameters().Select(p => p.Handle).ToHashSet();
        return model.named_parameters().Where(p => handles.Contains(p.parameter.Handle)).Select(p => p.name).ToHashSet();
    }

    // Each parameter's largest absolute change between two models of one spec.
    private static Dictionary<string, double> LargestMoves(MultiHeadModel before, MultiHeadModel after)
    {
        var changed = after.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        return before.named_parameters().ToDictionary(
            p => p.name,
            p =>
            {
                using var difference = (changed[p.name] - p.parameter).abs().max();
                return (double)difference.item<float>();
            });
    }

    [Theory]
    [InlineData(new[] { "--half-precision-weights", "--byte-weights" }, "face2data: Choose one of --half-precision-weights and --byte-weights.")]
    [InlineData(new[] { "--metrics", "no-such-folder" }, "face2data: no-such-folder has no report.json: pass a folder written by face2data evaluate.")]
    public async Task Export_refuses_conflicting_or_missing_options_in_one_line(string[] options, string expected)
    {
        using var error = new StringWriter();

        var code = await CommandErrors.InvokeAsync(new RootCommand { ExportCommand.Create() },
            ["export", "--checkpoint", Path.Combine(_folder, "run", "best"), "--out", Path.Combine(_folder, "m.onnx"), .. options], error);

        Assert.Equal(CommandErrors.UserError, code);
        Assert.Equal(expected, error.ToString().TrimEnd());
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
