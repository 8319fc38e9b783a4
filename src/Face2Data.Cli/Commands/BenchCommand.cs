using System.CommandLine;
using System.Diagnostics;
using Face2Data.Core.Schema;
using Face2Data.Training.Models;
using Face2Data.Training.Training;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Cli.Commands;

/// <summary><c>face2data bench</c>: throughput measurements.</summary>
internal static class BenchCommand
{
    public static Command Create() => new("bench", "Measure throughput.") { Train() };

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
        var command = new Command("train", "Training throughput (images/s) per model and input size.") { models, sizes, batch, steps, threads };
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
                    var (parameters, imagesPerSecond) = Measure(architecture, size, parse.GetValue(batch), parse.GetValue(steps), cancellationToken);
                    table.AddRow(architecture, $"{size}", $"{parse.GetValue(batch)}", $"{parameters:N0}", $"{imagesPerSecond:F0}", $"{1000.0 * parse.GetValue(batch) / imagesPerSecond:F0}");
                }
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"[grey]{Environment.ProcessorCount} cores, torch threads {torch.get_num_threads()}[/]");
            return Task.FromResult(0);
        });
        return command;
    }

    private static (long Parameters, double ImagesPerSecond) Measure(string architecture, int size, int batchSize, int steps, CancellationToken cancellationToken)
    {
        torch.manual_seed(0);
        var schema = AttributeSchema.UtkFace;
        using var model = ModelSpec.For(architecture, schema, size).Create();
        using var optimizer = torch.optim.Adam(model.parameters(), 1e-3);
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
