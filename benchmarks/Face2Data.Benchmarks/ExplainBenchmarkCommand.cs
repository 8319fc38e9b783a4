using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Face2Data.Detection;
using Face2Data.Explanation;
using Face2Data.Inference;

namespace Face2Data.Benchmarks;

/// <summary>
/// <c>explain</c>: how long one head's explanation takes, end to end (crop, prediction, baseline, every model batch,
/// overlay), for each method on UTKFace crops taken as faces (no detection). Prints the median and 90th percentile
/// of the wall-clock time per method, after warm-up runs, and the median CPU time of the process (all threads)
/// per run, which a busy machine distorts less; the load average is printed too.
/// </summary>
internal static class ExplainBenchmarkCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "ONNX model (default: the bundled model)" };
        var head = new Option<string?>("--head") { Description = "Head to explain (default: the model's first head)" };
        var methods = new Option<string>("--methods") { Description = "Comma-separated methods", DefaultValueFactory = _ => "occlusion,shap" };
        var grid = new Option<int>("--grid") { Description = "Cells per side", DefaultValueFactory = _ => 8 };
        var samples = new Option<int>("--samples") { Description = "SHAP budget", DefaultValueFactory = _ => 512 };
        var batch = new Option<int>("--batch-size") { Description = "Masked images per ONNX Runtime call", DefaultValueFactory = _ => 32 };
        var runs = new Option<int>("--runs") { Description = "Timed runs per method", DefaultValueFactory = _ => 20 };
        var warmUp = new Option<int>("--warm-up") { Description = "Untimed runs per method first", DefaultValueFactory = _ => 2 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads (0 = its choice: one per core)", DefaultValueFactory = _ => 0 };
        var data = new Option<string>("--data") { Description = "UTKFace folder or .tar.gz", DefaultValueFactory = _ => BenchmarkPaths.DefaultDataset() };
        var seed = new Option<int>("--seed") { Description = "Which crops are used", DefaultValueFactory = _ => 1 };
        var command = new Command("explain", "Time one head's explanation per method (median and p90 ms).")
        {
            model, head, methods, grid, samples, batch, runs, warmUp, threads, data, seed,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var options = new FaceAnalyzerOptions { IntraOpThreads = parse.GetValue(threads), Detection = DetectionMode.Never };
            using var analyzer = parse.GetValue(model) is { } path ? FaceAnalyzer.Load(path, options) : FaceAnalyzer.LoadDefault(options);
            var headName = parse.GetValue(head) ?? analyzer.Model.Schema.Heads[0].Name;
            var runCount = parse.GetValue(runs);
            var warmUpCount = parse.GetValue(warmUp);
            using var faces = UtkFaceSample.Read(parse.GetValue(data)!, Math.Max(1, runCount + warmUpCount), parse.GetValue(seed), cancellationToken);
            var explainer = new FaceExplainer(analyzer);
            var size = analyzer.Model.Preprocessing.Size;
            Console.WriteLine($"model {analyzer.Model.Name} ({analyzer.Model.Architecture}, {size} px), head {headName}, grid {parse.GetValue(grid)}×{parse.GetValue(grid)}, "
                + $"{Environment.ProcessorCount} cores, intra-op threads {(parse.GetValue(threads) == 0 ? "auto" : parse.GetValue(threads))}, load average {LoadAverage()}");
            Console.WriteLine();
            Console.WriteLine("| method | settings | model evaluations | median ms | p90 ms | CPU ms (median) | runs |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var name in parse.GetValue(methods)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var request = new ExplanationRequest
                {
                    Head = headName,
                    Detection = DetectionMode.Never,
                    Options = new ExplanationOptions
                    {
                        Method = ExplanationOptions.ParseMethod(name),
                        Grid = parse.GetValue(grid),
                        Samples = parse.GetValue(samples),
                        BatchSize = parse.GetValue(batch),
                    },
                };
                var times = new List<double>();
                var cpu = new List<double>();
                AttributionMap? map = null;
                using var process = Process.GetCurrentProcess();
                for (var run = 0; run < warmUpCount + runCount; run++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var face = faces.Images[run % faces.Images.Count].Image;
                    process.Refresh();
                    var cpuBefore = process.TotalProcessorTime;
                    var clock = Stopwatch.StartNew();
                    map = explainer.Explain(face, request, cancellationToken)!.Heads[0].Map;
                    var elapsed = clock.Elapsed.TotalMilliseconds;
                    process.Refresh();
                    if (run >= warmUpCount)
                    {
                        times.Add(elapsed);
                        cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
                    }
                }

                var settings = map!.Method == AttributionMethod.Shap ? $"{map.Samples} samples" : $"patch {map.Patch}, stride {map.Stride}";
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {name} | {settings} | {map.Evaluations} | {Statistics.Median(times):F0} | {Statistics.Quantile(times, 0.9):F0} | {Statistics.Median(cpu):F0} | {times.Count} |"));
            }

            return Task.FromResult(0);
        });
        return command;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
