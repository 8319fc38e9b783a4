using Face2Data.Explanation;

namespace Face2Data.Server.Contracts;

/// <summary>The answer to <c>POST /v1/explain</c>: the explained face, its predictions, and one explanation per head.</summary>
/// <param name="FaceNumber">Which face was explained, from 1 (the largest), as <c>/v1/analyze</c> numbers them.</param>
/// <param name="Face">The face's box and every head's prediction.</param>
/// <param name="Explanations">One per explained head, in schema order.</param>
/// <param name="Image">The image's upright size, which the box refers to.</param>
/// <param name="Model">The model that answered.</param>
/// <param name="TimingsMs">Where the time went, in milliseconds.</param>
public sealed record ExplanationResponse(
    int FaceNumber,
    FaceResponse Face,
    IReadOnlyList<AttributionResponse> Explanations,
    ImageSizeResponse Image,
    ModelInfoResponse Model,
    ExplainTimingsResponse TimingsMs)
{
    /// <summary>Builds the response from an explanation.</summary>
    public static ExplanationResponse From(FaceExplanation explanation, int width, int height, double queueMs, double explainMs, double totalMs)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        return new ExplanationResponse(
            explanation.Number,
            FaceResponse.From(explanation.Face),
            [.. explanation.Heads.Select(AttributionResponse.From)],
            new ImageSizeResponse(width, height),
            ModelInfoResponse.From(explanation.Model),
            new ExplainTimingsResponse(queueMs, explainMs, totalMs));
    }
}
