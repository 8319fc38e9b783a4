using Face2Data.Reporting;
using System.CommandLine;
using Face2Data.Datasets;
using Face2Data.Reporting.Evaluation;
using Face2Data.Detection;
using Face2Data.Inference;
using Spectre.Console;

namespace Face2Data.Cli.Commands;

/// <summary>
/// <c>face2data evaluate</c>: runs an exported ONNX model (as deployed) on a dataset's test split and writes
/// classification reports, confusion matrices, regression errors, fairness tables, calibration and a prediction grid.
/// With <c>--detector</c> the data are real photos with a labels CSV (london-faces, lfw-gender): each goes through
/// <see cref="FaceAnalyzer"/> as in <c>face2data predict</c> (detection, the largest face, landmarks and aligned crops
/// by default) and <see cref="PhotoEvaluator"/> scores it, photos without a face found counting as wrong.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Exported ONNX model file, or the name of one shipped beside the bundled model such as face2data-resnet (default: the bundled model)" };
        var data = new Option<string>("--data") { Description = "UTKFace folder or .tar.gz, or an attribute CSV; with --detector, a folder of photos with labels.csv, or the CSV", Required = true };
        var split = new Option<string?>("--split") { Description = "A run's split.json; its test part is evaluated (default: every sample)" };
        var part = new Option<string>("--part") { Description = "Part of the split to evaluate: test, validation or train", DefaultValueFactory = _ => "test" };
        part.AcceptOnlyFromAmong("test", "validation", "train");
        var output = new Option<string>("--out") { Description = "Folder for report.json, report.md, report.html and charts", Required = true };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 64 };
        var cache = new Option<string?>("--cache-dir") { Description = "Preprocessing cache folder (default ~/.cache/face2data)" };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime threads (0 = one per core)", DefaultValueFactory = _ => 0 };
        var grid = new Option<int>("--grid") { Description = "Faces in the prediction grid", DefaultValueFactory = _ => 16 };
        var limit = new Option<int>("--limit") { Description = "Use only the first N samples (as train --limit did)", DefaultValueFactory = _ => 0 };

        var detector = new Option<string?>("--detector")
        {
            Description = $"Evaluate real photos (not face crops): find the face in each with this detector, as face2data predict does. {FaceDetectors.Choices}",
        };
        detector.AcceptOnlyFromAmong([.. FaceDetectors.Bundled]);
        var detect = new Option<DetectionMode>("--detect")
        {
            Description = "With --detector: auto (as predict: a small near-square photo without a face found is analysed whole), always (it counts as no face) or never",
            DefaultValueFactory = _ => DetectionMode.Auto,
        };
        var crops = new FaceCropOptions();

        var command = new Command("evaluate", "Evaluate an exported model on a dataset of face crops, or with --detector on labelled photos.")
        {
            model, data, split, part, output, batch, cache, threads, grid, limit, detector, detect, crops.Crop, crops.Landmarks,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            if (parse.GetValue(detector) is { } detectorName)
            {
                return Task.FromResult(EvaluatePhotos(parse, detectorName, crops, cancellationToken));
            }

            using var onnx = OnnxFaceModel.Load(BundledModel.PathOrDefault(parse.GetValue(model)), new OnnxFaceModelOptions { IntraOpThreads = parse.GetValue(threads) });
            var dataset = DatasetOpener.Open(parse.GetValue(data)!, parse.GetValue(limit), line => AnsiConsole.MarkupLineInterpolated($"[grey]{line}[/]"));
            var (indices, selection) = Select(dataset, parse.GetValue(split), parse.GetValue(part)!);
            AnsiConsole.MarkupLineInterpolated($"Evaluating {onnx.Manifest.Name} on {indices?.Count ?? dataset.Samples.Count:N0} samples: {selection}");

            var evaluator = new ModelEvaluator(onnx, new ModelEvaluatorOptions
            {
                BatchSize = parse.GetValue(batch),
                CacheDirectory = parse.GetValue(cache),
                Grid = new Reporting.Charts.PredictionGridOptions { Count = Math.Max(1, parse.GetValue(grid)) },
            });
            var outDirectory = parse.GetValue(output)!;
            var report = Run(progress => evaluator.Evaluate(dataset, indices, selection, outDirectory, progress, cancellationToken));
            Show(report, outDirectory);
            return Task.FromResult(0);
        });
        return command;
    }

    // Photo mode: every photo through FaceAnalyzer (detection auto unless --detect says otherwise, the largest face), as face2data predict.
    private static int EvaluatePhotos(ParseResult parse, string detectorName, FaceCropOptions crops, CancellationToken cancellationToken)
    {
        var options = new FaceAnalyzerOptions
        {
            Detection = parse.GetValue<DetectionMode>("--detect"),
            MaxFaces = 1,
            IntraOpThreads = parse.GetValue<int>("--threads"),
            Alignment = crops.Alignment(parse),
        };
        using var faceDetector = FaceDetectors.Create(detectorName);
        using var landmarker = crops.CreateLandmarker(parse);
        using var analyzer = FaceAnalyzer.Load(BundledModel.PathOrDefault(parse.GetValue<string?>("--model")), options, faceDetector, landmarker);
        var photos = PhotoEvaluator.OpenLabels(parse.GetValue<string>("--data")!, analyzer.OnnxModel.Schema);
        var (indices, selection) = parse.GetValue<string?>("--split") is { } splitPath
            ? Select(photos, splitPath, parse.GetValue<string>("--part")!)
            : (null, "every photo");
        var limit = parse.GetValue<int>("--limit");
        if (limit > 0)
        {
            indices = (indices ?? Enumerable.Range(0, photos.Samples.Count).ToArray()).Take(limit).ToArray();
            selection += $", first {limit}";
        }

        var crop = options.Alignment is null ? FaceCropOptions.Box : FaceCropOptions.Aligned;
        selection += $"; photos through detector {detectorName} (detection {options.Detection.ToString().ToLowerInvariant()}), {crop} crops, the largest face";
        AnsiConsole.MarkupLineInterpolated($"Evaluating {analyzer.Model.Name} on {indices?.Count ?? photos.Samples.Count:N0} photos of {photos.Source} ({detectorName}, {crop} crops)");
        var outDirectory = parse.GetValue<string>("--out")!;
        var report = Run(progress => new PhotoEvaluator(analyzer).Evaluate(photos, indices, selection, outDirectory, progress, cancellationToken));
        Show(report, outDirectory);
        return 0;
    }

    private static (IReadOnlyList<int>? Indices, string Selection) Select(IFaceDataset dataset, string? splitPath, string part)
    {
        if (splitPath is null)
        {
            AnsiConsole.MarkupLine("[yellow]No --split given: evaluating every sample, including any the model was trained on.[/]");
            return (null, "every sample (no split given)");
        }

        var split = DatasetSplit.Load(splitPath, dataset);
        var indices = part switch
        {
            "validation" => split.Validation,
            "train" => split.Train,
            _ => split.Test,
        };
        if (indices.Count == 0)
        {
            throw new InvalidDataException($"The {part} part of split '{splitPath}' is empty.");
        }

        return (indices, $"{part} part of split {splitPath}");
    }

    private static EvaluationReport Run(Func<IProgress<EvaluationProgress>, EvaluationReport> evaluate)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            return evaluate(new SyncProgress<EvaluationProgress>(_ => { }));
        }

        return AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                // Cache building reports from several threads at once.
                var gate = new Lock();
                return evaluate(new SyncProgress<EvaluationProgress>(report =>
                {
                    lock (gate)
                    {
                        if (!tasks.TryGetValue(report.Stage, out var task))
                        {
                            task = tasks[report.Stage] = context.AddTask(report.Stage, maxValue: Math.Max(1, report.Total));
                        }

                        task.Value = Math.Max(task.Value, report.Done);
                    }
                }));
            });
    }

    private static void Show(EvaluationReport report, string outDirectory)
    {
        var table = new Table().AddColumns("head", "metric", "value");
        foreach (var head in report.Regression)
        {
            table.AddRow(Markup.Escape(head.Head), "MAE / RMSE / R²", $"{head.Metrics.Mae:F2} / {head.Metrics.Rmse:F2} / {head.Metrics.R2:F3}");
        }

        foreach (var head in report.Categorical)
        {
            table.AddRow(Markup.Escape(head.Head), "accuracy / macro F1 / ECE", $"{head.Accuracy:P1} / {head.Report.MacroAverage.F1:F3} / {head.Calibration.Ece:F3}");
        }

        foreach (var fairness in report.Fairness)
        {
            foreach (var gap in fairness.Gaps)
            {
                table.AddRow(Markup.Escape(gap.Head), Markup.Escape($"gap by {fairness.Grouping} ({gap.Metric})"), Markup.Escape($"{gap.Gap:F3}: {gap.Best} best, {gap.Worst} worst"));
            }
        }

        AnsiConsole.Write(table);
        if (report.NoFaceCount > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]No face found in {report.NoFaceCount:N0} of {report.SampleCount:N0} photos (wrong answers in every accuracy).[/]");
        }

        AnsiConsole.MarkupLineInterpolated($"{report.SampleCount:N0} samples in {report.Seconds:F1} s. Report: {Path.Combine(outDirectory, EvaluationReportWriter.HtmlFile)}");
    }
}
