using System.CommandLine;
using System.Diagnostics;
using Face2Data.Schema;
using Face2Data.Training.Models;
using Face2Data.Training.Runtime;
using Face2Data.Training.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Benchmarks;

/// <summary>
/// <c>scalar-stress</c>: many short training steps of a small f2d network while another thread allocates and forces
/// full collections without pause, so that finalizers run while libtorch calls are in flight. With
/// <c>--code old</c> the steps use TorchSharp's own Adam, whose step leaves six temporary Scalars per parameter to
/// the finalizer (what training did before issue 16); with <c>--code new</c> they run the project's training step
/// (<see cref="Trainer.Step"/> with <see cref="Adam"/>). Prints the steps done, the collections forced and
/// the first failure; exit code 1 on a failure (a process abort shows as the shell's 134). docs/training-aborts.md.
/// </summary>
internal static class ScalarStressCommand
{
    public static Command Create()
    {
        var code = new Option<string>("--code") { Description = "old (TorchSharp's Adam) or new (the project's training step)", DefaultValueFactory = _ => "new" };
        var steps = new Option<int>("--steps") { Description = "Most steps to run", DefaultValueFactory = _ => 100_000 };
        var seconds = new Option<double>("--seconds") { Description = "Stop after this many seconds", DefaultValueFactory = _ => 120 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var command = new Command("scalar-stress", "Training steps under forced garbage collections: does a freed Scalar abort them?") { code, steps, seconds, seed };
        command.SetAction(parse =>
        {
            var old = parse.GetValue(code) switch
            {
                "old" => true,
                "new" => false,
                var other => throw new ArgumentException($"--code must be old or new, not '{other}'."),
            };
            return Run(old, parse.GetValue(steps), TimeSpan.FromSeconds(parse.GetValue(seconds)), parse.GetValue(seed));
        });
        return command;
    }

    private static int Run(bool old, int maxSteps, TimeSpan limit, int seed)
    {
        Console.WriteLine(TorchRuntime.EnsureCorrectArithmetic());
        torch.set_num_threads(1);
        torch.manual_seed(seed);
        const int batch = 4, size = 16;
        var schema = AttributeSchema.UtkFace;
        var spec = ModelSpec.For("f2d", schema, size, """{"StemChannels":8,"Widths":[8,16,16,16]}""");
        using var model = spec.Create();
        using OptimizerHelper optimizer = old
#pragma warning disable RS0030 // The old code, on purpose.
            ? torch.optim.Adam(model.parameters(), 1e-3)
#pragma warning restore RS0030
            : new Face2Data.Training.Training.Adam(model.parameters(), 1e-3);
        var loss = new MultiTaskLoss(schema);
        var random = new Random(seed);
        var labels = new float[batch * 3];
        for (var i = 0; i < batch; i++)
        {
            (labels[i * 3], labels[(i * 3) + 1], labels[(i * 3) + 2]) = (random.Next(1, 90), random.Next(2), random.Next(5));
        }

        long collections = 0;
        var stop = false;
        var collector = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                // A large array, as a batch's pixel arrays were, then a full blocking collection and its finalizers.
                GC.KeepAlive(new byte[1 << 20]);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Interlocked.Increment(ref collections);
            }
        }) { IsBackground = true };
        collector.Start();

        var clock = Stopwatch.StartNew();
        var done = 0;
        string? failure = null;
        try
        {
            for (; done < maxSteps && clock.Elapsed < limit; done++)
            {
                using var scope = NewDisposeScope();
                var x = randn(batch, 3, size, size);
                var y = tensor(labels, [batch, 3]);
                var (_, total, _) = Trainer.Step(model, optimizer, loss, x, y);
                var value = total.item<float>();
                if (!float.IsFinite(value))
                {
                    failure = $"loss {value} at step {done + 1}";
                    break;
                }
            }
        }
        catch (Exception error)
        {
            failure = $"{error.GetType().Name} at step {done + 1}: {error.Message.Split('\n')[0]}";
        }
        finally
        {
            Volatile.Write(ref stop, true);
            collector.Join();
        }

        Console.WriteLine($"code {(old ? "old" : "new")}: {done:N0} steps in {clock.Elapsed.TotalSeconds:F0} s, {Interlocked.Read(ref collections):N0} forced full collections, "
            + (failure is null ? "no failure" : $"FAILED: {failure}"));
        return failure is null ? 0 : 1;
    }
}
