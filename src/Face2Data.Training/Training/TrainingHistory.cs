using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Face2Data.Datasets;
using Face2Data.IO;

namespace Face2Data.Training.Training;

/// <summary>Writes <c>history.csv</c> and <c>history.json</c> (one row per epoch) atomically.</summary>
public static class TrainingHistory
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Write(string directory, IReadOnlyList<EpochMetrics> history)
    {
        AtomicFile.WriteAllText(Path.Combine(directory, "history.json"), JsonSerializer.Serialize(history, JsonOptions));
        AtomicFile.WriteAllText(Path.Combine(directory, "history.csv"), ToCsv(history));
    }

    public static IReadOnlyList<EpochMetrics> ReadJson(string path) =>
        JsonSerializer.Deserialize<List<EpochMetrics>>(File.ReadAllText(path), JsonOptions) ?? [];

    /// <summary>One row per epoch: epoch, size, lr, losses, then per head and split its metrics.</summary>
    public static string ToCsv(IReadOnlyList<EpochMetrics> history)
    {
        var text = new StringBuilder();
        if (history.Count == 0)
        {
            return "epoch\n";
        }

        var columns = new List<string> { "epoch", "size", "lr", "train_loss", "val_loss", "seconds", "images_per_second" };
        foreach (var (split, metrics) in new[] { ("train", history[0].Train), ("val", history[0].Validation) })
        {
            foreach (var head in metrics)
            {
                columns.AddRange(MetricNames(head).Select(m => $"{split}_{head.Head}_{m}"));
            }
        }

        text.AppendLine(string.Join(',', columns));
        foreach (var epoch in history)
        {
            var values = new List<double> { epoch.Epoch, epoch.InputSize, epoch.LearningRate, epoch.TrainLoss, epoch.ValidationLoss, epoch.Seconds, epoch.ImagesPerSecond };
            foreach (var metrics in new[] { epoch.Train, epoch.Validation })
            {
                foreach (var head in metrics)
                {
                    values.AddRange(MetricValues(head));
                }
            }

            text.AppendLine(string.Join(',', values.Select(v => v.ToString("G6", CultureInfo.InvariantCulture))));
        }

        return text.ToString();
    }

    private static IEnumerable<string> MetricNames(HeadMetrics head) =>
        double.IsNaN(head.Accuracy) ? ["loss", "mae", "rmse", "r2"] : ["loss", "accuracy"];

    private static IEnumerable<double> MetricValues(HeadMetrics head) =>
        double.IsNaN(head.Accuracy) ? [head.Loss, head.Mae, head.Rmse, head.R2] : [head.Loss, head.Accuracy];
}
