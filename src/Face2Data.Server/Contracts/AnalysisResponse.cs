using Face2Data.Inference;

namespace Face2Data.Server.Contracts;

/// <summary>The answer to <c>POST /v1/analyze</c>: every face found, largest first, and what the model says about each.</summary>
/// <param name="Faces">The faces, largest first; empty when detection found none.</param>
/// <param name="Image">The image's upright size, which the boxes refer to.</param>
/// <param name="Model">The model that answered.</param>
/// <param name="TimingsMs">Where the time went, in milliseconds.</param>
public sealed record AnalysisResponse(IReadOnlyList<FaceResponse> Faces, ImageSizeResponse Image, ModelInfoResponse Model, TimingsResponse TimingsMs)
{
    /// <summary>Builds the response from an analysis.</summary>
    public static AnalysisResponse From(FaceAnalysis analysis, ModelManifest model, double queueMs, double totalMs) => new(
        [.. analysis.Faces.Select(FaceResponse.From)],
        new ImageSizeResponse(analysis.Width, analysis.Height),
        ModelInfoResponse.From(model),
        new TimingsResponse(analysis.Timings.DecodeMs, analysis.Timings.DetectMs, analysis.Timings.InferMs, queueMs, totalMs));
}
