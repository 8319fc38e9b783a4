using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Face2Data.Detection;
using Face2Data.Imaging;
using Face2Data.Inference;
using Face2Data.Schema;
using Face2Data.Training.Export;
using OpenCvSharp;
using Face2Data.Training.Models;
using Face2Data.Training.Training;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;
using Scalar = OpenCvSharp.Scalar;

namespace Face2Data.Cli.Commands;

/// <summary><c>face2data bench</c>: throughput measurements.</summary>
internal static class BenchCommand
{
    public static Command Create() => new("bench", "Measure throughput.") { Train(), Infer(), BenchServeCommand.Create() };

    /// <summary>
    /// <c>bench train</c>: full training steps (augmentation, forward, weighted loss, backward, Adam) on random images
    /// of the UTKFace schema, after warm-up steps; prints images per second for each model and size.
    /// </summary>
    private static Command Train()
    {
        var models = new Option<string>("--models") { Description = "Comma-separated architectures", DefaultValueFactory = _ => "seed,f2d" };
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated input sizes", DefaultValueFactory = _ => "64,96" };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 64 };
        var steps = new Option<int>("--steps") { Description = "Timed steps per case", DefaultValueFactory = _ => 10 };
        var threads = new Option<int>("--threads") { Description = "Torch threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var modelOptions = new Option<string?>("--model-options") { Description = "Architecture options as JSON for every model listed, as in train --model-options" };
        var command = new Command("train", "Training throughput (images/s) per model and input size.") { models, sizes, batch, steps, threads, modelOptions };
        command.SetAction((parse, cancellationToken) =>
        {
            if (parse.GetValue(threads) is > 0 and var count)
            {
                torch.set_num_threads(count);
            }

            var table = new Table().AddColumns("model", "size", "batch", "parameters", "images/s", "ms/step");
            foreach (var architecture in parse.GetValue(models)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                foreach (var size in parse.GetValue(sizes)!.Split(',').Select(int.Parse))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var (parameters, imagesPerSecond) = Measure(architecture, size, parse.GetValue(modelOptions), parse.GetValue(batch), parse.GetValue(steps), cancellationToken);
                    table.AddRow(architecture, $"{size}", $"{parse.GetValue(batch)}", $"{parameters:N0}", $"{imagesPerSecond:F0}", $"{1000.0 * parse.GetValue(batch) / imagesPerSecond:F0}");
                }
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"[grey]{Environment.ProcessorCount} cores, torch threads {torch.get_num_threads()}[/]");
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>
    /// <c>bench infer</c>: single-face inference latency through <see cref="FaceAnalyzer"/> (preprocessing + ONNX
    /// Runtime, detection off) for each model and size, exported with random weights (latency does not depend on
    /// them), at each thread count; prints the median and 90th percentile of many runs.
    /// </summary>
    private static Command Infer()
    {
        var models = new Option<string>("--models") { Description = "Comma-separated architecture:size pairs (random weights) or exported .onnx files", DefaultValueFactory = _ => "seed:198,seed:96,f2d:64,f2d:96" };
        var threads = new Option<string>("--threads") { Description = "Comma-separated intra-op thread counts", DefaultValueFactory = _ => "1,2" };
        var runs = new Option<int>("--runs") { Description = "Timed runs per case", DefaultValueFactory = _ => 300 };
        var command = new Command("infer", "Single-face inference latency per model, size and thread count.") { models, threads, runs };
        command.SetAction((parse, cancellationToken) =>
        {
            var table = new Table().AddColumns("model", "size", "threads", "median ms", "p90 ms", "ONNX KB");
            var folder = Directory.CreateTempSubdirectory("f2d-bench-").FullName;
            using var face = new Mat(200, 200, MatType.CV_8UC3);
            Cv2.Randu(face, Scalar.All(0), Scalar.All(255));
            try
            {
                foreach (var pair in parse.GetValue(models)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    string architecture, path;
                    int size;
                    if (pair.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
                    {
                        path = pair;
                        using var model = OnnxFaceModel.Load(path);
                        (architecture, size) = (Path.GetFileName(path) + (model.Manifest.TestTimeFlip ? " (flip)" : ""), model.InputSize);
                    }
                    else
                    {
                        (architecture, size) = (pair.Split(':')[0], int.Parse(pair.Split(':')[1], CultureInfo.InvariantCulture));
                        path = Path.Combine(folder, $"{architecture}{size}.onnx");
                        ExportRandom(architecture, size, path);
                    }

                    foreach (var count in parse.GetValue(threads)!.Split(',').Select(int.Parse))
                    {
                        using var analyzer = FaceAnalyzer.Load(path, new FaceAnalyzerOptions { IntraOpThreads = count, Detection = DetectionMode.Never });
                        var times = new List<double>();
                        for (var run = 0; run < parse.GetValue(runs) + 20; run++)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            var clock = Stopwatch.StartNew();
                            analyzer.Analyze(face);
                            if (run >= 20)
                            {
                                times.Add(clock.Elapsed.TotalMilliseconds);
                            }
                        }

                        times.Sort();
                        table.AddRow(architecture, $"{size}", $"{count}", $"{times[times.Count / 2]:F2}", $"{times[times.Count * 9 / 10]:F2}", $"{new FileInfo(path).Length / 1024}");
                    }
                }
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }

            AnsiConsole.Write(table);
            return Task.FromResult(0);
        });
        return command;
    }

    private static void ExportRandom(string architecture, int size, string path)
    {
        torch.manual_seed(0);
        var spec = ModelSpec.For(architecture, AttributeSchema.UtkFace, size);
        using var model = spec.Create();
        model.eval();
        var manifest = new ModelManifest
        {
            Name = $"bench-{architecture}{size}",
            Architecture = architecture,
            Schema = spec.Schema,
            Preprocessing = new ImagePreprocessing { Size = size },
            CreatedUtc = DateTimeOffset.UtcNow,
        };
        OnnxExporter.Export(model, manifest, path);
    }

    private static (long Parameters, double ImagesPerSecond) Measure(string architecture, int size, string? modelOptions, int batchSize, int steps, CancellationToken cancellationToken)
    {
        torch.manual_seed(0);
        var schema = AttributeSchema.UtkFace;
        using var model = ModelSpec.For(architecture, schema, size, modelOptions).Create();
        using var optimizer = new Face2Data.Training.Training.Adam(model.parameters(), 1e-3);
        var loss = new MultiTaskLoss(schema);
        var augmentation = new AugmentationOptions();
        using var labels = torch.stack([torch.randint(0, 100, batchSize).to(ScalarType.Float32), torch.randint(0, 2, batchSize).to(ScalarType.Float32), torch.randint(0, 5, batchSize).to(ScalarType.Float32)], 1);
        model.train();
        var clock = new Stopwatch();
        const int warmUp = 2;
        for (var step = 0; step < steps + warmUp; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (step == warmUp)
            {
                clock.Start();
            }

            using var scope = NewDisposeScope();
            var images = Augmentation.Apply(torch.randn(batchSize, 3, size, size), augmentation);
            optimizer.zero_grad();
            var (total, _) = loss.Compute(model.forward(images), labels);
            total.backward();
            optimizer.step();
            total.item<float>();
        }

        return (model.parameters().Sum(p => p.numel()), steps * batchSize / clock.Elapsed.TotalSeconds);
    }
}
