using Face2Data.Inference;
using Face2Data.Schema;

namespace Face2Data.Server.Contracts;

/// <summary>The served model's card: what it predicts, from what input, how well, on what data, under which terms.</summary>
/// <param name="Name">Model name.</param>
/// <param name="Version">Model version.</param>
/// <param name="Architecture">Network architecture and its settings.</param>
/// <param name="CreatedUtc">When the model was exported.</param>
/// <param name="Heads">The schema: one entry per predicted attribute.</param>
/// <param name="Input">How a face becomes the model's input.</param>
/// <param name="Metrics">Evaluation figures by name, such as <c>age.mae</c>.</param>
/// <param name="TrainingData">What the model was trained on.</param>
/// <param name="License">Terms of use of the model.</param>
/// <param name="Detector">The face detector the server uses (<c>none</c>: every image is one face crop).</param>
/// <param name="Limitations">Intended use and known limitations.</param>
public sealed record ModelCardResponse(
    string Name,
    string Version,
    string Architecture,
    DateTimeOffset CreatedUtc,
    IReadOnlyList<HeadResponse> Heads,
    InputResponse Input,
    IReadOnlyDictionary<string, double> Metrics,
    string TrainingData,
    string License,
    string Detector,
    string Limitations)
{
    /// <summary>Builds the card from a manifest.</summary>
    public static ModelCardResponse From(ModelManifest manifest, string detector) => new(
        manifest.Name,
        manifest.Version,
        manifest.Architecture,
        manifest.CreatedUtc,
        [.. manifest.Schema.Heads.Select(HeadResponse.From)],
        new InputResponse(
            manifest.Preprocessing.Size,
            manifest.Preprocessing.Resize.ToString().ToLowerInvariant(),
            manifest.Preprocessing.Mean,
            manifest.Preprocessing.Std,
            manifest.Crop.Scale,
            manifest.Crop.ShiftY),
        new SortedDictionary<string, double>(manifest.Metrics.ToDictionary(), StringComparer.Ordinal),
        manifest.TrainingData,
        manifest.License,
        detector,
        ModelCard.Limitations);
}

/// <summary>One attribute the model predicts.</summary>
/// <param name="Name">Head name.</param>
/// <param name="Kind"><c>regression</c> or <c>categorical</c>.</param>
/// <param name="Classes">Class labels (categorical).</param>
/// <param name="Min">Smallest value (regression).</param>
/// <param name="Max">Largest value (regression).</param>
/// <param name="Unit">Unit of the value (regression), when it has one.</param>
public sealed record HeadResponse(string Name, string Kind, IReadOnlyList<string>? Classes, float? Min, float? Max, string? Unit)
{
    /// <summary>From a schema head.</summary>
    public static HeadResponse From(AttributeHead head) => head.Kind == HeadKind.Regression
        ? new HeadResponse(head.Name, "regression", null, head.Min, head.Max, head.Unit.Length > 0 ? head.Unit : null)
        : new HeadResponse(head.Name, "categorical", head.Classes, null, null, null);
}

/// <summary>How a face crop becomes the model's input tensor.</summary>
/// <param name="Size">Side of the square input in pixels.</param>
/// <param name="Resize">Resize method.</param>
/// <param name="Mean">Per-channel (RGB) mean subtracted after scaling to [0, 1].</param>
/// <param name="Std">Per-channel (RGB) standard deviation divided by.</param>
/// <param name="CropScale">Side of the face crop relative to a detector box.</param>
/// <param name="CropShiftY">Downward shift of the crop, as a fraction of its side.</param>
public sealed record InputResponse(int Size, string Resize, IReadOnlyList<float> Mean, IReadOnlyList<float> Std, double CropScale, double CropShiftY);
