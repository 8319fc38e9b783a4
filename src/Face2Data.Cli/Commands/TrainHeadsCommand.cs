using System.CommandLine;
using Face2Data.Datasets;
using Face2Data.Onnx.Converters;
using Face2Data.Training.Features;
using Face2Data.Training.Models;
using Face2Data.Training.Training;
using Spectre.Console;
using TorchSharp;

namespace Face2Data.Cli.Commands;

/// <summary>
/// <c>face2data train-heads</c>: transfer learning on a frozen pretrained face network. The trunk (face-api.js's face
/// recognition ResNet, from its published weights) runs once per image and view, its features are cached, and the
/// schema's heads are trained on them; the run folder then holds a normal best.ckpt for <c>export</c>.
/// </summary>
internal static class TrainHeadsCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "UTKFace folder or .tar.gz, or an attribute CSV", Required = true };
        var backbone = new Option<string>("--backbone") { Description = "face-api.js's face_recognition_model-weights_manifest.json (its .bin beside it)", Required = true };
        var ageGenderBackbone = new Option<string?>("--age-gender-backbone") { Description = "face-api.js's age_gender_model-weights_manifest.json, for model options with \"AgeGenderFeatures\":true" };
        var output = new Option<string>("--out") { Description = "Run folder for the checkpoint, history and split", Required = true };
        var size = new Option<int>("--size") { Description = "Input size in pixels (the network's own is 150)", DefaultValueFactory = _ => FaceRecognitionResNet.NativeInputSize };
        var modelOptions = new Option<string?>("--model-options") { Description = "Options as JSON, such as {\"Levels\":3,\"TrainedBlocks\":1,\"Tower\":{\"Hidden\":256,\"Dropout\":0.3}}" };
        var views = new Option<int>("--views") { Description = "Augmented passes over the images besides the plain one", DefaultValueFactory = _ => 3 };
        var augment = new Option<string>("--augment") { Description = "Transforms of the augmented views (see train --augment)", DefaultValueFactory = _ => "flip,shift,zoom,rotate,gray,color,blur,jpeg" };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 30 };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 256 };
        var learningRate = new Option<double>("--lr") { Description = "Adam learning rate (cosine schedule)", DefaultValueFactory = _ => 1e-3 };
        var weightDecay = new Option<double>("--weight-decay") { DefaultValueFactory = _ => 1e-4 };
        var smoothing = new Option<double>("--label-smoothing") { DefaultValueFactory = _ => 0.1 };
        var weights = new Option<string?>("--loss-weights") { Description = "Per-head loss weights such as age=1,gender=1,race=1" };
        var regressionLoss = new Option<string?>("--regression-loss") { Description = "Loss of every regression head: l1, mse or distribution" };
        var average = new Option<int>("--average-from-epoch") { Description = "Average the trained weights from this epoch to the last (0 = off); kept if its validation loss is the lowest", DefaultValueFactory = _ => 0 };
        var teacher = new Option<string[]>("--teacher")
        {
            Description = "Checkpoints of a teacher reading the same frozen features (several: their averaged predictions); the student also learns its predicted probabilities",
            AllowMultipleArgumentsPerToken = true,
        };
        var distill = new Option<double>("--distill") { Description = "Share of the loss taken by the teacher's predictions (0 to 1), with --teacher", DefaultValueFactory = _ => 0.5 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42 };
        var threads = new Option<int>("--threads") { Description = "Threads for the trunk and the heads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var split = new Option<string?>("--split") { Description = "Use this saved split instead of making one" };
        var stratify = new Option<string?>("--stratify") { Description = "Stratify the split by this categorical head" };
        var testFraction = new Option<double>("--test-fraction") { DefaultValueFactory = _ => 0.3 };
        var validationFraction = new Option<double>("--val-fraction") { Description = "Validation share of what is left after the test split", DefaultValueFactory = _ => 0.3 };
        var limit = new Option<int>("--limit") { Description = "Use only the first N samples (quick runs)", DefaultValueFactory = _ => 0 };
        var cache = new Option<string?>("--cache-dir") { Description = "Cache folder for pixels and features (default ~/.cache/face2data)" };

        var command = new Command("train-heads", "Train the schema's heads on a frozen pretrained face network (cached features).")
        {
            data, backbone, ageGenderBackbone, output, size, modelOptions, views, augment, epochs, batch, learningRate, weightDecay, smoothing, weights, regressionLoss,
            average, teacher, distill, seed, threads, split, stratify, testFraction, validationFraction, limit, cache,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var outDirectory = parse.GetValue(output)!;
            var backboneWeights = TfjsWeights.Read(parse.GetValue(backbone)!);
            var ageGenderWeights = parse.GetValue(ageGenderBackbone) is { } ageGenderManifest ? TfjsWeights.Read(ageGenderManifest) : null;
            var dataset = DatasetOpener.Open(parse.GetValue(data)!, parse.GetValue(limit), line => AnsiConsole.MarkupLineInterpolated($"[grey]{line}[/]"));
            var schema = TrainCommand.WithLossOptions(dataset.Schema, parse.GetValue(weights), parse.GetValue(regressionLoss));

            Directory.CreateDirectory(outDirectory);
            var datasetSplit = TrainCommand.LoadOrCreateSplit(dataset, parse.GetValue(split), Path.Combine(outDirectory, "split.json"), resume: true, new DatasetSplitOptions
            {
                Seed = parse.GetValue(seed),
                TestFraction = parse.GetValue(testFraction),
                ValidationFraction = parse.GetValue(validationFraction),
                StratifyBy = parse.GetValue(stratify),
            });
            AnsiConsole.MarkupLineInterpolated($"{dataset.Samples.Count} samples from {dataset.Source}: train {datasetSplit.Train.Count}, validation {datasetSplit.Validation.Count}, test {datasetSplit.Test.Count}");

            var inputSize = parse.GetValue(size);
            var spec = ModelSpec.For("face-resnet", schema, inputSize, parse.GetValue(modelOptions));
            void LoadWeights(FaceResNet model)
            {
                var readsAgeGender = model.AgeGenderTrunk is not null;
                if (readsAgeGender != ageGenderWeights is not null)
                {
                    throw new ArgumentException(readsAgeGender
                        ? "The model options ask for the age and gender network's features (AgeGenderFeatures); give its weights with --age-gender-backbone."
                        : "--age-gender-backbone is only read with the model option \"AgeGenderFeatures\":true.");
                }

                model.Trunk.LoadFaceApiWeights(backboneWeights);
                model.AgeGenderTrunk?.LoadFaceApiWeights(ageGenderWeights!);
            }

            var preprocessing = FaceRecognitionResNet.Preprocessing(inputSize);
            var cacheDirectory = parse.GetValue(cache);
            var trainingData = TrainingData.From(dataset, datasetSplit, cacheDirectory, schema);
            if (parse.GetValue(threads) > 0)
            {
                torch.set_num_threads(parse.GetValue(threads));
            }

            IReadOnlyList<float[]> features;
            using (var model = (FaceResNet)spec.Create())
            {
                LoadWeights(model);
                model.eval();
                using var extractor = new TrunkFeatureExtractor(model.FrozenPart, inputSize, model.FrozenWidth, parse.GetValue(threads));
                using var images = trainingData.Images(preprocessing, cancellationToken);
                var featureDirectory = Path.Combine(cacheDirectory ?? PreprocessedImageCache.DefaultDirectory(), "features");
                var viewList = FeatureView.List(parse.GetValue(views), AugmentationOptions.Parse(parse.GetValue(augment)!), parse.GetValue(seed));
                features = viewList.Select(view =>
                {
                    var computed = 0;
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    var result = FeatureCache.LoadOrBuild(extractor, images, preprocessing, view, featureDirectory, new SyncProgress<int>(n => computed = n), cancellationToken);
                    AnsiConsole.MarkupLineInterpolated($"Features, view {view.Index} of {viewList.Count - 1}: {images.Count} images, {(computed == 0 ? "read from the cache" : $"computed in {clock.Elapsed.TotalSeconds:F0} s")}");
                    return result;
                }).ToList();
            }

            var options = new FeatureHeadTrainingOptions
            {
                OutputDirectory = outDirectory,
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(learningRate),
                WeightDecay = parse.GetValue(weightDecay),
                LabelSmoothing = parse.GetValue(smoothing),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                AverageFromEpoch = parse.GetValue(average),
                Teacher = parse.GetValue(teacher) ?? [],
                DistillationWeight = parse.GetValue(distill),
            };
            var progress = new SyncProgress<TrainingProgress>(report =>
            {
                if (report.Completed is { } epoch)
                {
                    var heads = string.Join(", ", epoch.Validation.Select(h => double.IsNaN(h.Accuracy) ? $"{h.Head} MAE {h.Mae:F2}" : $"{h.Head} {h.Accuracy:P1}"));
                    AnsiConsole.MarkupLineInterpolated($"Epoch {epoch.Epoch}/{report.TotalEpochs}: train loss {epoch.TrainLoss:F4}, validation loss {epoch.ValidationLoss:F4} ({heads}) {epoch.Seconds:F1} s");
                }
            });
            var result = new FeatureHeadTrainer(options).Train(spec, model => LoadWeights((FaceResNet)model), trainingData, preprocessing, features, progress, cancellationToken);
            if (result.AveragedValidationLoss is { } averagedLoss)
            {
                AnsiConsole.MarkupLineInterpolated($"Weights averaged from epoch {options.AverageFromEpoch}: validation loss {averagedLoss:F4}");
            }

            AnsiConsole.MarkupLineInterpolated($"Best epoch {result.BestEpoch} (validation loss {result.BestValidationLoss:F4}): {result.BestCheckpoint}");
            PlotCommand.Write(Path.Combine(outDirectory, "history.csv"), outDirectory);
            return Task.FromResult(0);
        });
        return command;
    }
}
