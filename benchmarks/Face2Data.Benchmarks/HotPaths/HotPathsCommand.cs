using System.CommandLine;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Face2Data.Benchmarks.HotPaths;

/// <summary>
/// <c>face2data-bench hotpaths</c>: BenchmarkDotNet over the serving hot paths — decoding, preprocessing, ONNX
/// Runtime at batch 1/8/32, Haar detection, whole analyses. A short in-process job (3 warm-up and 10 measured
/// iterations of about 250 ms) keeps a full run to a few minutes; <c>--filter</c> takes BenchmarkDotNet's globs.
/// </summary>
internal static class HotPathsCommand
{
    private static readonly Type[] Benchmarks =
    [
        typeof(DecodeBenchmarks), typeof(PreprocessingBenchmarks), typeof(InferenceBenchmarks), typeof(DetectionBenchmarks), typeof(CropDetectionBenchmarks), typeof(AnalyzerBenchmarks),
    ];

    public static Command Create()
    {
        var filter = new Option<string[]>("--filter")
        {
            Description = "Benchmarks to run, as globs over Class.Method (e.g. '*Inference*', '*Decode*'); all when absent",
            AllowMultipleArgumentsPerToken = true,
        };
        var data = new Option<string>("--data") { Description = "UTKFace folder or .tar.gz the test images are made from", DefaultValueFactory = _ => BenchmarkPaths.DefaultDataset() };
        var artifacts = new Option<string>("--artifacts")
        {
            Description = "Folder for BenchmarkDotNet's reports",
            DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "face2data-bench-artifacts"),
        };
        var list = new Option<bool>("--list") { Description = "List the benchmarks instead of running them" };
        var command = new Command("hotpaths", "BenchmarkDotNet: decode + resize, preprocessing, ONNX Runtime at batch 1/8/32, detection on a 1280x720 photo, whole analyses.")
        {
            filter, data, artifacts, list,
        };
        command.SetAction(parse =>
        {
            Environment.SetEnvironmentVariable(HotPathImages.DatasetVariable, parse.GetValue(data));
            var patterns = parse.GetValue(filter) is { Length: > 0 } given ? given : ["*"];
            string[] args = parse.GetValue(list) ? ["--list", "flat", "--filter", .. patterns] : ["--filter", .. patterns];
            var summaries = BenchmarkSwitcher.FromTypes(Benchmarks).Run(args, Config(parse.GetValue(artifacts)!));
            return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
        });
        return command;
    }

    private static IConfig Config(string artifacts)
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithId("short");
        return ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
            .WithArtifactsPath(artifacts);
    }
}
