using System.CommandLine;
using Face2Data.Datasets;
using Face2Data.Training.Training;
using Spectre.Console;

namespace Face2Data.Cli.Commands;

/// <summary>
/// <c>face2data correct-priors</c>: shifts one categorical head's logits by −τ·log(prior), the class shares of its
/// run's training split (<see cref="ClassPriorCorrection"/>), and writes a new checkpoint for <c>export</c>. The
/// test part is never read; measure the result with <c>evaluate --part validation</c>.
/// </summary>
internal static class CorrectPriorsCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint file, such as runs/NAME/best", Required = true };
        var data = new Option<string>("--data") { Description = "The dataset the checkpoint was trained on", Required = true };
        var split = new Option<string>("--split") { Description = "The run's split.json: priors from its train part", Required = true };
        var head = new Option<string>("--head") { Description = "The categorical head to correct, such as race", Required = true };
        var strength = new Option<double>("--strength") { Description = "τ from 0 (the training mix) to 1 (every class equally likely)", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Checkpoint file to write", Required = true };
        var limit = new Option<int>("--limit") { Description = "Use only the first N samples (as train --limit did)", DefaultValueFactory = _ => 0 };
        var command = new Command("correct-priors", "Shift a categorical head's logits for a class mix other than the training split's (logit adjustment).")
        {
            checkpoint, data, split, head, strength, output, limit,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var dataset = DatasetOpener.Open(parse.GetValue(data)!, parse.GetValue(limit), line => AnsiConsole.MarkupLineInterpolated($"[grey]{line}[/]"));
            var datasetSplit = DatasetSplit.Load(parse.GetValue(split)!, dataset);
            var outPath = parse.GetValue(output)!;
            var name = parse.GetValue(head)!;
            var (priors, shift) = ClassPriorCorrection.CorrectCheckpoint(parse.GetValue(checkpoint)!, outPath, dataset, datasetSplit.Train, name, parse.GetValue(strength));
            var classes = dataset.Schema[name].Classes;
            var table = new Table().AddColumns("class", "training prior", "logit shift");
            for (var c = 0; c < classes.Count; c++)
            {
                table.AddRow(Markup.Escape(classes[c]), priors[c].ToString("F4"), shift[c].ToString("+0.000;-0.000;0"));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"Wrote {outPath}");
            return Task.FromResult(0);
        });
        return command;
    }
}
