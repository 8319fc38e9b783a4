using System.CommandLine;
using Face2Data.Reporting.Charts;
using Spectre.Console;

namespace Face2Data.Cli.Commands;

/// <summary><c>face2data plot</c>: training curves (loss and every metric, train against validation) from a run's history.</summary>
internal static class PlotCommand
{
    public static Command Create()
    {
        var history = new Option<string>("--history") { Description = "A run's history.csv, such as runs/a/history.csv", Required = true };
        var output = new Option<string?>("--out") { Description = "Folder for the PNGs (default: the history's folder)" };

        var command = new Command("plot", "Draw training curves from a run's history.csv.") { history, output };
        command.SetAction((parse, cancellationToken) =>
        {
            var path = parse.GetValue(history)!;
            var directory = parse.GetValue(output) ?? Path.GetDirectoryName(Path.GetFullPath(path))!;
            Write(path, directory);
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>Writes the curves of <paramref name="history"/> into <paramref name="directory"/> and lists them.</summary>
    public static void Write(string history, string directory)
    {
        var charts = TrainingCurves.Write(history, directory);
        AnsiConsole.MarkupLineInterpolated($"Training curves ({charts.Count}) in {directory}: {string.Join(", ", charts.Select(c => c.File))}");
    }
}
