using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Face2Data.Inference;

namespace Face2Data.Training.Training;

/// <summary>A run folder's record (split, epochs, time) as a model-card section.</summary>
public static class TrainingRecord
{
    /// <summary>Split, epochs, sizes, time and throughput of a run.</summary>
    public static ModelCardSection ToCardSection(string runDirectory, string hardware)
    {
        var history = TrainingHistory.ReadJson(Path.Combine(runDirectory, "history.json"));
        if (history.Count == 0)
        {
            throw new InvalidDataException($"'{runDirectory}' has no training history.");
        }

        var split = JsonNode.Parse(File.ReadAllText(Path.Combine(runDirectory, "split.json")))!;
        var count = (string part) => split[part]!.AsArray().Count;
        var best = history.MinBy(e => e.ValidationLoss)!;
        var minutes = history.Sum(e => e.Seconds) / 60;
        var stages = string.Join(", ", history.GroupBy(e => e.InputSize).Select(g => $"{g.Count()} at {g.Key} px"));
        var invariant = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(invariant, $"- Split: seed {split["seed"]}, test fraction {split["test_fraction"]}, validation fraction {split["validation_fraction"]} of the rest{(split["stratify_by"] is { } by ? $", stratified by {by}" : "")} → train {count("train"):N0}, validation {count("validation"):N0}, test {count("test"):N0} faces. The test part was used only for this card's evaluation, never for choosing epochs or settings.");
        text.AppendLine(invariant, $"- Epochs: {history.Count} ({stages}); kept: epoch {best.Epoch} (lowest validation loss {best.ValidationLoss.ToString("F4", invariant)})");
        text.AppendLine(invariant, $"- Training time: {minutes.ToString("F1", invariant)} minutes of epochs, {history.Average(e => e.ImagesPerSecond).ToString("F0", invariant)} images/s on average");
        text.AppendLine(invariant, $"- Hardware: {hardware}");
        var json = new JsonObject
        {
            ["split"] = new JsonObject
            {
                ["seed"] = split["seed"]!.DeepClone(),
                ["test_fraction"] = split["test_fraction"]!.DeepClone(),
                ["validation_fraction"] = split["validation_fraction"]!.DeepClone(),
                ["train"] = count("train"),
                ["validation"] = count("validation"),
                ["test"] = count("test"),
            },
            ["epochs"] = history.Count,
            ["best_epoch"] = best.Epoch,
            ["input_sizes"] = new JsonArray(history.Select(e => (JsonNode)e.InputSize).ToArray()),
            ["minutes"] = Math.Round(minutes, 2),
            ["hardware"] = hardware,
        };
        return new ModelCardSection("training", "Training", text.ToString(), json);
    }

}
