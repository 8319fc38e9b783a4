using Face2Data.Training.Training;
using Spectre.Console;

namespace Face2Data.Cli.Commands;

/// <summary>Shows training live: a progress bar per epoch (step, throughput, running loss) and a summary line per epoch.</summary>
internal static class TrainingProgressView
{
    public static TrainingResult Run(Func<IProgress<TrainingProgress>, TrainingResult> train)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            // Logs and CI: a line at each tenth of an epoch (long epochs show their pace), one per epoch, no redraws.
            return train(new SyncProgress<TrainingProgress>(report =>
            {
                if (IsTenth(report))
                {
                    AnsiConsole.MarkupLineInterpolated($"[grey]epoch {report.Epoch}/{report.TotalEpochs} step {report.Step}/{report.Steps} · loss {report.RunningLoss:F3} · {report.ImagesPerSecond:F0} img/s[/]");
                }

                WriteEpoch(report);
            }));
        }

        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask? task = null;
                return train(new SyncProgress<TrainingProgress>(report =>
                {
                    if (report.Completed is null && report.Steps > 0)
                    {
                        if (task is null || task.IsFinished)
                        {
                            task = context.AddTask($"epoch {report.Epoch}/{report.TotalEpochs}", maxValue: report.Steps);
                        }

                        task.Value = report.Step;
                        task.Description = $"epoch {report.Epoch}/{report.TotalEpochs} · loss {report.RunningLoss:F3} · {report.ImagesPerSecond:F0} img/s";
                        return;
                    }

                    if (report.Completed is not null && task is not null)
                    {
                        task.Value = task.MaxValue;
                        task.StopTask();
                    }

                    WriteEpoch(report);
                }));
            });
    }

    /// <summary>Whether a step report ends a tenth of its epoch (the last step excluded: the epoch's line follows it).</summary>
    internal static bool IsTenth(TrainingProgress report) =>
        report.Completed is null && report.Steps >= 10 && report.Step is > 0 && report.Step < report.Steps
        && report.Step * 10 / report.Steps != (report.Step - 1) * 10 / report.Steps;

    private static void WriteEpoch(TrainingProgress report)
    {
        if (report.Message is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]{report.Message}[/]");
        }

        if (report.Completed is not { } m)
        {
            return;
        }

        var heads = string.Join("  ", m.Validation.Select(h => double.IsNaN(h.Accuracy)
            ? $"{h.Head} MAE {h.Mae:F2} R² {h.R2:F3}"
            : $"{h.Head} acc {h.Accuracy:P1}"));
        AnsiConsole.MarkupLineInterpolated(
            $"epoch {m.Epoch}/{report.TotalEpochs} [grey]{m.InputSize}px lr {m.LearningRate:G3}[/] loss {m.TrainLoss:F4} val {m.ValidationLoss:F4} | {heads} [grey]({m.Seconds:F0} s, {m.ImagesPerSecond:F0} img/s)[/]");
    }
}
