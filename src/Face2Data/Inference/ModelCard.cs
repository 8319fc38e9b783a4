using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Face2Data.IO;
using Face2Data.Schema;

namespace Face2Data.Inference;

/// <summary>
/// The human-readable sidecar of an exported model: <c>NAME.card.json</c> (the manifest as one JSON document) and
/// <c>NAME.card.md</c> (what it predicts, how well, on what data, and its license), written beside the model.
/// </summary>
public static class ModelCard
{
    /// <summary>Intended use and limitations, the same for every Face2Data model (the cards and the server show it).</summary>
    public const string Limitations =
        "Research and demonstration of multi-task face attribute estimation. Predictions are statistical guesses from " +
        "appearance, not facts about a person: do not use them to make decisions about people. Accuracy differs across " +
        "groups (see the evaluation report's fairness table) and drops on faces unlike the training data (pose, lighting, " +
        "occlusion, image quality).";

    /// <summary>Path of the JSON card for a model file.</summary>
    public static string JsonPath(string modelPath) => Path.ChangeExtension(modelPath, ".card.json");

    /// <summary>Path of the Markdown card for a model file.</summary>
    public static string MarkdownPath(string modelPath) => Path.ChangeExtension(modelPath, ".card.md");

    /// <summary>
    /// Writes both cards beside <paramref name="modelPath"/>, atomically. <paramref name="sections"/> (such as how
    /// the model was trained and its test evaluation) go before the limitations in Markdown and, by their
    /// <see cref="ModelCardSection.Key"/>, into the JSON card.
    /// </summary>
    public static void Write(ModelManifest manifest, string modelPath, IReadOnlyList<ModelCardSection>? sections = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        AtomicFile.WriteAllText(JsonPath(modelPath), ToJson(manifest, sections));
        AtomicFile.WriteAllText(MarkdownPath(modelPath), ToMarkdown(manifest, Path.GetFileName(modelPath), sections));
    }

    /// <summary>The manifest as one JSON object (field names without the metadata prefix), plus each section's JSON.</summary>
    public static string ToJson(ModelManifest manifest, IReadOnlyList<ModelCardSection>? sections = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var card = new JsonObject();
        foreach (var (key, value) in manifest.ToMetadata())
        {
            card[key[ModelManifest.KeyPrefix.Length..]] = JsonNode.Parse(value);
        }

        foreach (var section in sections ?? [])
        {
            if (section.Json is not null)
            {
                card[section.Key] = section.Json.DeepClone();
            }
        }

        return card.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>A Markdown model card.</summary>
    public static string ToMarkdown(ModelManifest manifest, string fileName, IReadOnlyList<ModelCardSection>? sections = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine(invariant, $"# Model card: {manifest.Name} {manifest.Version}");
        text.AppendLine();
        text.AppendLine(invariant, $"- File: `{fileName}` (ONNX; input `image` float [N, 3, {manifest.Preprocessing.Size}, {manifest.Preprocessing.Size}], RGB)");
        text.AppendLine(invariant, $"- Architecture: {manifest.Architecture}");
        text.AppendLine(invariant, $"- Preprocessing: resize ({manifest.Preprocessing.Resize}) to {manifest.Preprocessing.Size}×{manifest.Preprocessing.Size}, scale to [0, 1], mean {string.Join('/', manifest.Preprocessing.Mean.Select(v => v.ToString(invariant)))}, std {string.Join('/', manifest.Preprocessing.Std.Select(v => v.ToString(invariant)))}");
        text.AppendLine(invariant, $"- Crop geometry: scale {manifest.Crop.Scale.ToString(invariant)}, shift-y {manifest.Crop.ShiftY.ToString(invariant)} of the side, around a detector box");
        text.AppendLine(invariant, $"- Test-time flip: {(manifest.TestTimeFlip ? "yes (outputs averaged over the face and its mirror image, inside the graph)" : "no")}");
        if (manifest.Teacher.Length > 0)
        {
            text.AppendLine(invariant, $"- Distilled: {manifest.Teacher}");
        }

        foreach (var step in manifest.AfterTraining)
        {
            text.AppendLine(invariant, $"- After training: {step}");
        }

        text.AppendLine(invariant, $"- Training data: {(manifest.TrainingData.Length > 0 ? manifest.TrainingData : "not recorded")}");
        text.AppendLine(invariant, $"- License: {(manifest.License.Length > 0 ? manifest.License : "not recorded")}");
        text.AppendLine(invariant, $"- Created: {manifest.CreatedUtc:u}");
        text.AppendLine();
        text.AppendLine("## Outputs");
        text.AppendLine();
        text.AppendLine("| head | kind | classes / range |");
        text.AppendLine("|---|---|---|");
        foreach (var head in manifest.Schema.Heads)
        {
            var detail = head.Kind == HeadKind.Categorical
                ? string.Join(", ", head.Classes) + " (probabilities)"
                : $"{head.Min.ToString(invariant)}–{head.Max.ToString(invariant)} {head.Unit}".TrimEnd();
            text.AppendLine(invariant, $"| {head.Name} | {head.Kind.ToString().ToLowerInvariant()} | {detail} |");
        }

        text.AppendLine();
        text.AppendLine("## Metrics recorded in the model (validation split, at export)");
        text.AppendLine();
        if (manifest.Metrics.Count == 0)
        {
            text.AppendLine("None recorded.");
        }
        else
        {
            text.AppendLine("| metric | value |");
            text.AppendLine("|---|---|");
            foreach (var (name, value) in manifest.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                text.AppendLine(invariant, $"| {name} | {value.ToString("G5", invariant)} |");
            }
        }

        foreach (var section in sections ?? [])
        {
            text.AppendLine();
            text.AppendLine(invariant, $"## {section.Title}");
            text.AppendLine();
            text.AppendLine(section.Markdown.TrimEnd());
        }

        text.AppendLine();
        text.AppendLine("## Intended use and limitations");
        text.AppendLine();
        text.AppendLine(Limitations);
        return text.ToString();
    }
}
