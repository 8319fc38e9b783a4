using System.CommandLine;
using Face2Data.Datasets;
using Face2Data.Training.Training;
using Spectre.Console;
using TorchSharp;

namespace Face2Data.Cli.Commands;

/// <summary>
/// <c>face2data calibrate</c>: re-estimates a checkpoint's BatchNorm statistics over the un-augmented training images
/// of its run's split (<see cref="BatchNormCalibration"/>) and writes a new checkpoint with re-measured validation
/// metrics. The weights are unchanged; the test part is never read.
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint file, such as runs/NAME/best", Required = true };
        var data = new Option<string>("--data") { Description = "The dataset the checkpoint was trained on", Required = true };
        var split = new Option<string>("--split") { Description = "The run's split.json: statistics from its train part, metrics on its validation part", Required = true };
        var output = new Option<string>("--out") { Description = "Checkpoint file to write", Required = true };
        var images = new Option<int>("--images") { Description = "Use only the first N training images of the split (0 = all)", DefaultValueFactory = _ => 0 };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 128 };
        var threads = new Option<int>("--threads") { Description = "Torch threads (0 = default)", DefaultValueFactory = _ => 0 };
        var cache = new Option<string?>("--cache-dir") { Description = "Preprocessing cache folder (default ~/.cache/face2data)" };
        var limit = new Option<int>("--limit") { Description = "Use only the first N samples (as train --limit did)", DefaultValueFactory = _ => 0 };
        var command = new Command("calibrate", "Re-estimate a checkpoint's BatchNorm statistics on its training images (precise BatchNorm).")
        {
            checkpoint, data, split, output, images, batch, threads, cache, limit,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            if (parse.GetValue(threads) > 0)
            {
                torch.set_num_threads(parse.GetValue(threads));
            }

            var inPath = Checkpoint.ResolvePath(parse.GetValue(checkpoint)!);
            var schema = Checkpoint.ReadInfo(inPath).Model.Schema;
            var dataset = DatasetOpener.Open(parse.GetValue(data)!, parse.GetValue(limit), line => AnsiConsole.MarkupLineInterpolated($"[grey]{line}[/]"));
            var datasetSplit = DatasetSplit.Load(parse.GetValue(split)!, dataset);
            var trainingData = TrainingData.From(dataset, datasetSplit, parse.GetValue(cache), schema);
            var train = parse.GetValue(images) > 0 ? datasetSplit.Train.Take(parse.GetValue(images)).ToArray() : datasetSplit.Train;
            var outPath = parse.GetValue(output)!;
            var result = BatchNormCalibration.CalibrateCheckpoint(inPath, outPath, trainingData, train, parse.GetValue(batch), cancellationToken);
            Show(result, outPath);
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>Prints validation before and after, and where the calibrated checkpoint went.</summary>
    public static void Show(CalibrationResult result, string outPath)
    {
        var table = new Table().AddColumns("head", "metric", "before", "after");
        foreach (var (b, a) in result.Before.Zip(result.After))
        {
            var (metric, was, now) = double.IsNaN(b.Accuracy) ? ("MAE", b.Mae, a.Mae) : ("accuracy", b.Accuracy, a.Accuracy);
            table.AddRow(b.Head, metric, was.ToString("F4"), now.ToString("F4"));
        }

        AnsiConsole.MarkupLineInterpolated($"Validation before and after re-estimating the BatchNorm statistics on {result.Images:N0} training images at {result.InputSize} px:");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"Wrote {outPath}");
    }
}
