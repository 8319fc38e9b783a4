using System.Text.Json;
using System.Text.Json.Serialization;
using Face2Data.IO;

namespace Face2Data.Explanation;

/// <summary>
/// Writes an explanation as files: one overlay PNG per head and one JSON document with every raw grid beside
/// them, each written atomically. For <c>heatmap.png</c>: one head → <c>heatmap.png</c>; several →
/// <c>heatmap.race.png</c>, <c>heatmap.age.png</c>…; the JSON is <c>heatmap.json</c>.
/// </summary>
public static class ExplanationFiles
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The overlay path of each head of <paramref name="explanation"/> for the PNG path asked for.</summary>
    public static IReadOnlyList<string> OverlayPaths(FaceExplanation explanation, string pngPath)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        ArgumentException.ThrowIfNullOrWhiteSpace(pngPath);
        if (explanation.Heads.Count == 1)
        {
            return [pngPath];
        }

        var folder = Path.GetDirectoryName(pngPath) ?? "";
        var stem = Path.GetFileNameWithoutExtension(pngPath);
        var extension = Path.GetExtension(pngPath) is { Length: > 0 } e ? e : ".png";
        return [.. explanation.Heads.Select(h => Path.Combine(folder, $"{stem}.{SafeName(h.Map.Head)}{extension}"))];
    }

    /// <summary>The JSON path beside the PNG path asked for: same folder and name, extension <c>.json</c>.</summary>
    public static string JsonPath(string pngPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pngPath);
        return Path.ChangeExtension(pngPath, ".json");
    }

    /// <summary>Writes the overlays and the JSON document; returns the paths written, the JSON last.</summary>
    /// <param name="explanation">What to write.</param>
    /// <param name="pngPath">The PNG path asked for (see the class remarks for several heads).</param>
    /// <param name="source">The explained image's name, recorded in the JSON; optional.</param>
    public static IReadOnlyList<string> Save(FaceExplanation explanation, string pngPath, string? source = null)
    {
        var overlays = OverlayPaths(explanation, pngPath);
        for (var i = 0; i < overlays.Count; i++)
        {
            var png = explanation.Heads[i].OverlayPng;
            AtomicFile.Write(overlays[i], stream => stream.Write(png));
        }

        var jsonPath = JsonPath(pngPath);
        AtomicFile.WriteAllText(jsonPath, ToJson(explanation, source, overlays.Select(Path.GetFileName).ToList()!));
        return [.. overlays, jsonPath];
    }

    /// <summary>
    /// The JSON document: the model, the face and, per head, the raw grid (<c>grid</c>: rows, top first, of
    /// <c>grid_size</c> cells) with f(x) (<c>output</c>), f(baseline) (<c>baseline_output</c>) and the settings.
    /// </summary>
    /// <param name="explanation">What to write.</param>
    /// <param name="source">The explained image's name; optional.</param>
    /// <param name="overlays">The overlay file of each head, in order; optional.</param>
    public static string ToJson(FaceExplanation explanation, string? source = null, IReadOnlyList<string>? overlays = null)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        var face = explanation.Face;
        var document = new Document(
            source,
            new ModelDocument(explanation.Model.Name, explanation.Model.Version, explanation.Model.Preprocessing.Size),
            new FaceDocument(explanation.Number, face.Box.X, face.Box.Y, face.Box.Width, face.Box.Height, face.Detected, face.DetectionScore),
            [.. explanation.Heads.Select((h, i) => MapDocument.From(h.Map, face.Attributes[h.Map.Head], overlays?[i]))]);
        return JsonSerializer.Serialize(document, JsonOptions);
    }

    private static string SafeName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return string.Concat(name.Select(c => invalid.Contains(c) || char.IsWhiteSpace(c) ? '_' : c));
    }

    private sealed record Document(string? Source, ModelDocument Model, FaceDocument Face, IReadOnlyList<MapDocument> Explanations);

    private sealed record ModelDocument(string Name, string Version, int InputSize);

    private sealed record FaceDocument(int Number, int X, int Y, int Width, int Height, bool Detected, float? DetectionScore);

    // The summary plus what the file adds: the face's prediction for the head and the overlay's file name.
    private sealed record MapDocument : AttributionSummary
    {
        private MapDocument(AttributionMap map, Inference.AttributePrediction prediction, string? overlay)
            : base(map)
        {
            PredictedClass = prediction.Label;
            PredictedValue = prediction.Value;
            Overlay = overlay;
        }

        public string? PredictedClass { get; init; }

        public float? PredictedValue { get; init; }

        public string? Overlay { get; init; }

        public static MapDocument From(AttributionMap map, Inference.AttributePrediction prediction, string? overlay) => new(map, prediction, overlay);
    }
}
