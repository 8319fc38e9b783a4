using System.CommandLine;
using System.Globalization;
using Face2Data.Datasets;
using Face2Data.Imaging;
using Face2Data.Onnx.Converters;
using Face2Data.Schema;
using Face2Data.Training.Models;
using Face2Data.Training.Training;
using Spectre.Console;

namespace Face2Data.Cli.Commands;

/// <summary><c>face2data train</c>: trains a model on a dataset and writes checkpoints, history and the split to a run folder.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "UTKFace folder or .tar.gz, or an attribute CSV", Required = true };
        var model = new Option<string>("--model") { Description = "Architecture: f2d, seed, densenet121, or face-resnet (with --backbone)", DefaultValueFactory = _ => "f2d" };
        model.AcceptOnlyFromAmong([.. ModelSpec.Architectures]);
        var modelOptions = new Option<string?>("--model-options") { Description = "The architecture's options as JSON, such as {\"Widths\":[32,64,128,256]} for f2d" };
        var size = new Option<int>("--size") { Description = "Input size in pixels (ignored with --stages)", DefaultValueFactory = _ => 96 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs (ignored with --stages)", DefaultValueFactory = _ => 10 };
        var stages = new Option<string?>("--stages") { Description = "Progressive resizing, SIZE:EPOCHS list such as 64:8,96:12" };
        var output = new Option<string>("--out") { Description = "Run folder for checkpoints, history and split", Required = true };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 64 };
        var learningRate = new Option<double>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-3 };
        var decay = new Option<double>("--decay") { Description = "Time decay: lr / (1 + decay * step)", DefaultValueFactory = _ => 0 };
        var schedule = new Option<LearningRateScheduleKind>("--schedule") { Description = "Learning-rate schedule: constant (with --decay) or cosine", DefaultValueFactory = _ => LearningRateScheduleKind.Constant };
        var warmup = new Option<double>("--warmup-epochs") { Description = "Linear warm-up epochs before the cosine schedule", DefaultValueFactory = _ => 0 };
        var minLearningRate = new Option<double>("--min-lr") { Description = "Floor of ReduceLROnPlateau and end of the cosine schedule", DefaultValueFactory = _ => 1e-6 };
        var weightDecay = new Option<double>("--weight-decay") { DefaultValueFactory = _ => 0 };
        var smoothing = new Option<double>("--label-smoothing") { DefaultValueFactory = _ => 0 };
        var augment = new Option<string>("--augment") { Description = "flip,shift,zoom,cutout (default), and for real photos rotate,gray,color,blur,jpeg; or none", DefaultValueFactory = _ => "flip,shift,zoom,cutout" };
        var weights = new Option<string?>("--loss-weights") { Description = "Per-head loss weights such as age=4,race=1.5,gender=0.1" };
        var regressionLoss = new Option<string?>("--regression-loss") { Description = "Loss of every regression head: l1, mse or distribution" };
        var plateau = new Option<int>("--plateau-patience") { Description = "ReduceLROnPlateau patience in epochs (0 = off)", DefaultValueFactory = _ => 3 };
        var patience = new Option<int>("--patience") { Description = "Early stopping patience in epochs (0 = off)", DefaultValueFactory = _ => 8 };
        var maxMinutes = new Option<double>("--max-minutes") { Description = "Stop (best weights restored) before an epoch would overrun this many minutes of training; 0 = no limit", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42 };
        var threads = new Option<int>("--threads") { Description = "Torch threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last checkpoint" };
        var split = new Option<string?>("--split") { Description = "Use this saved split instead of making one" };
        var stratify = new Option<string?>("--stratify") { Description = "Stratify the split by this categorical head" };
        var testFraction = new Option<double>("--test-fraction") { DefaultValueFactory = _ => 0.3 };
        var validationFraction = new Option<double>("--val-fraction") { Description = "Validation share of what is left after the test split", DefaultValueFactory = _ => 0.3 };
        var limit = new Option<int>("--limit") { Description = "Use only the first N samples (quick runs)", DefaultValueFactory = _ => 0 };
        var cache = new Option<string?>("--cache-dir") { Description = "Preprocessing cache folder (default ~/.cache/face2data)" };
        var resize = new Option<ResizeMethod>("--resize") { Description = "Resize method", DefaultValueFactory = _ => ResizeMethod.Area };
        var backbone = new Option<string?>("--backbone") { Description = "For --model face-resnet: face-api.js's face_recognition_model-weights_manifest.json, the trunk's starting weights (the whole network is fine-tuned)" };
        var init = new Option<string?>("--init") { Description = "Start from this checkpoint (a train-heads run's best, say): its architecture, options, input size and weights; then --epochs fine-tune it" };
        var pretrainedScale = new Option<double>("--pretrained-lr-scale") { Description = "For face-resnet: the face recognition ResNet's learning rate as a share of --lr (1 trains all alike, 0 freezes it; the heads and trained blocks take --lr, the age and gender network stays frozen)", DefaultValueFactory = _ => 1 };
        var calibrate = new Option<bool>("--calibrate") { Description = "Afterwards, re-estimate the best checkpoint's BatchNorm statistics on the training images into calibrated.ckpt (as face2data calibrate)" };

        var command = new Command("train", "Train a multi-head model on a dataset.")
        {
            data, model, modelOptions, size, epochs, stages, output, batch, learningRate, decay, schedule, warmup, minLearningRate, weightDecay, smoothing, augment, weights,
            regressionLoss, plateau, patience, maxMinutes, seed, threads, resume, split, stratify, testFraction, validationFraction, limit, cache, resize, calibrate,
            backbone, init, pretrainedScale,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var outDirectory = parse.GetValue(output)!;
            var initPath = parse.GetValue(init) is { } initGiven ? Checkpoint.ResolvePath(initGiven) : null;
            var start = initPath is null ? null : StartingPoint(initPath, new Option[] { model, modelOptions, size, stages, backbone }.Any(o => parse.GetResult(o) is { Implicit: false }));
            var initSpec = start?.Model;
            var stageList = initSpec is not null
                ? [new TrainingStage(initSpec.InputSize, parse.GetValue(epochs))]
                : parse.GetValue(stages) is { } text
                ? TrainingStage.ParseList(text)
                : [new TrainingStage(parse.GetValue(size), parse.GetValue(epochs))];
            var dataset = DatasetOpener.Open(parse.GetValue(data)!, parse.GetValue(limit), line => AnsiConsole.MarkupLineInterpolated($"[grey]{line}[/]"));
            var schema = WithLossOptions(dataset.Schema, parse.GetValue(weights), parse.GetValue(regressionLoss));

            var splitPath = Path.Combine(outDirectory, "split.json");
            Directory.CreateDirectory(outDirectory);
            var datasetSplit = LoadOrCreateSplit(dataset, parse.GetValue(split), splitPath, parse.GetValue(resume), new DatasetSplitOptions
            {
                Seed = parse.GetValue(seed),
                TestFraction = parse.GetValue(testFraction),
                ValidationFraction = parse.GetValue(validationFraction),
                StratifyBy = parse.GetValue(stratify),
            });
            AnsiConsole.MarkupLineInterpolated($"{dataset.Samples.Count} samples from {dataset.Source}: train {datasetSplit.Train.Count}, validation {datasetSplit.Validation.Count}, test {datasetSplit.Test.Count} (split: {splitPath})");

            var spec = initSpec ?? ModelSpec.For(parse.GetValue(model)!, schema, stageList[^1].Size, parse.GetValue(modelOptions));
            var options = new TrainingOptions
            {
                OutputDirectory = outDirectory,
                Stages = stageList,
                BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(learningRate),
                Decay = parse.GetValue(decay),
                Schedule = parse.GetValue(schedule),
                WarmupEpochs = parse.GetValue(warmup),
                MinLearningRate = parse.GetValue(minLearningRate),
                WeightDecay = parse.GetValue(weightDecay),
                LabelSmoothing = parse.GetValue(smoothing),
                Augmentation = AugmentationOptions.Parse(parse.GetValue(augment)!),
                PlateauPatience = parse.GetValue(plateau),
                EarlyStoppingPatience = parse.GetValue(patience),
                Seed = parse.GetValue(seed),
                TimeLimit = parse.GetValue(maxMinutes) > 0 ? TimeSpan.FromMinutes(parse.GetValue(maxMinutes)) : null,
                Threads = parse.GetValue(threads),
                Resize = parse.GetValue(resize),
                Resume = parse.GetValue(resume),
                LoadPretrained = initPath is null ? PretrainedLoader(parse.GetValue(backbone), spec) : model => Checkpoint.LoadInto(initPath, model),
                PretrainedLearningRateScale = parse.GetValue(pretrainedScale),
                FineTuning = start is null ? "" : FineTuningNote(initPath!, start, parse.GetValue(pretrainedScale)),
            };
            var trainingData = TrainingData.From(dataset, datasetSplit, parse.GetValue(cache), schema);
            var result = TrainingProgressView.Run(
                progress => new Trainer(spec, options).Train(trainingData, progress, cancellationToken));
            AnsiConsole.MarkupLineInterpolated($"Best epoch {result.BestEpoch} (validation loss {result.BestValidationLoss:F4}): {result.BestCheckpoint}");
            PlotCommand.Write(Path.Combine(outDirectory, "history.csv"), outDirectory);
            if (parse.GetValue(calibrate))
            {
                var calibratedPath = Path.Combine(outDirectory, BatchNormCalibration.CalibratedFileName);
                CalibrateCommand.Show(BatchNormCalibration.CalibrateCheckpoint(result.BestCheckpoint, calibratedPath, trainingData, datasetSplit.Train, cancellationToken: cancellationToken), calibratedPath);
            }

            return Task.FromResult(0);
        });
        return command;
    }

    internal static DatasetSplit LoadOrCreateSplit(IFaceDataset dataset, string? given, string runSplit, bool resume, DatasetSplitOptions options)
    {
        if (given is not null)
        {
            var loaded = DatasetSplit.Load(given, dataset);
            loaded.Save(runSplit);
            return loaded;
        }

        if (resume && File.Exists(runSplit))
        {
            return DatasetSplit.Load(runSplit, dataset);
        }

        var created = DatasetSplit.Create(dataset, options);
        created.Save(runSplit);
        return created;
    }

    // --init: the checkpoint's info (its model among it), read now so a bad path fails before the data is opened.
    private static CheckpointInfo StartingPoint(string path, bool modelGiven)
    {
        if (modelGiven)
        {
            throw new ArgumentException("--init takes the model from the checkpoint: leave out --model, --model-options, --size, --stages and --backbone.");
        }

        return Checkpoint.ReadInfo(path);
    }

    // What the checkpoints and the exported file say about a run started with --init.
    private static string FineTuningNote(string initPath, CheckpointInfo start, double pretrainedScale)
    {
        var teacher = start.Teacher.Length > 0 ? $", which was distilled ({start.Teacher})" : "";
        var share = pretrainedScale switch
        {
            1 => "everything at the learning rate",
            0 => "the pretrained trunk frozen",
            _ => string.Create(CultureInfo.InvariantCulture, $"the pretrained trunk at {pretrainedScale:G3} of the learning rate"),
        };
        return $"Fine-tuned from {Checkpoint.RunName(initPath)} (epoch {start.Epoch}{teacher}), {share}";
    }

    // --backbone: face-api.js's weights into a face-resnet's trunk (read now, so a bad path fails before training).
    private static Action<MultiHeadModel>? PretrainedLoader(string? manifest, ModelSpec spec)
    {
        if (manifest is null)
        {
            return null;
        }

        if (spec.Architecture != "face-resnet")
        {
            throw new ArgumentException($"--backbone gives face-resnet's starting weights; the model here is {spec.Architecture}.");
        }

        if (spec.Options<FaceResNetOptions>() is { AgeGenderFeatures: true })
        {
            throw new ArgumentException("--backbone loads the face recognition ResNet only, and these model options read the age and gender network too: train its heads with face2data train-heads, then fine-tune that run with --init.");
        }

        var weights = TfjsWeights.Read(manifest);
        return model => ((FaceResNet)model).Trunk.LoadFaceApiWeights(weights);
    }

    /// <summary>The schema with <c>--loss-weights</c> (HEAD=WEIGHT list) and <c>--regression-loss</c> applied, when given.</summary>
    internal static AttributeSchema WithLossOptions(AttributeSchema schema, string? weights, string? regressionLoss)
    {
        if (weights is not null)
        {
            schema = schema.WithLossWeights(ParseWeights(weights));
        }

        return regressionLoss is null
            ? schema
            : schema.Heads.Where(h => h.Kind == HeadKind.Regression).Aggregate(schema, (s, h) => s.WithLoss(h.Name, regressionLoss));
    }

    private static Dictionary<string, float> ParseWeights(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('='))
            .ToDictionary(
                pair => pair.Length == 2 ? pair[0] : throw new FormatException($"Bad loss weight '{string.Join('=', pair)}': expected HEAD=WEIGHT."),
                pair => float.Parse(pair[1], CultureInfo.InvariantCulture));
}
