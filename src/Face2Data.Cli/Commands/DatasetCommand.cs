using Face2Data.Reporting;
using System.CommandLine;
using System.Diagnostics;
using Face2Data.Datasets;
using Face2Data.Reporting.Evaluation;
using Face2Data.Schema;
using Spectre.Console;

namespace Face2Data.Cli.Commands;

/// <summary><c>face2data dataset stats</c>: charts and a summary of how a dataset's labels are distributed.</summary>
internal static class DatasetCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "UTKFace folder or .tar.gz, or an attribute CSV", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for the charts and summary.md / summary.html", Required = true };
        var limit = new Option<int>("--limit") { Description = "Use only the first N samples", DefaultValueFactory = _ => 0 };

        var stats = new Command("stats", "Count a dataset's labels: a pie chart per categorical head, binned pie and histogram per regression head, and a summary.")
        {
            data, output, limit,
        };
        stats.SetAction((parse, cancellationToken) =>
        {
            var clock = Stopwatch.StartNew();
            var dataset = DatasetOpener.Open(parse.GetValue(data)!, parse.GetValue(limit), line => AnsiConsole.MarkupLineInterpolated($"[grey]{line}[/]"));
            var statistics = DatasetStatistics.From(dataset);
            var files = DatasetReport.Write(statistics, parse.GetValue(output)!);

            var table = new Table().AddColumns("head", "labelled", "distribution");
            foreach (var head in statistics.Heads)
            {
                table.AddRow(Markup.Escape(head.Head.Name), $"{head.Known:N0}", Markup.Escape(Describe(head)));
            }

            AnsiConsole.Write(table);
            foreach (var file in files)
            {
                AnsiConsole.MarkupLineInterpolated($"[grey]wrote[/] {file}");
            }

            AnsiConsole.MarkupLineInterpolated($"{statistics.SampleCount:N0} samples in {clock.Elapsed.TotalSeconds:F1} s");
            return Task.FromResult(0);
        });

        return new Command("dataset", "Inspect datasets.") { stats };
    }

    private static string Describe(HeadStatistics head) => head.Head.Kind == HeadKind.Categorical
        ? string.Join(", ", head.Head.Classes.Select((label, c) => $"{label} {head.ClassCounts[c]:N0}"))
        : $"mean {head.Mean:F1}, median {head.Median:F1}, range {head.Min:G4}–{head.Max:G4}";
}
