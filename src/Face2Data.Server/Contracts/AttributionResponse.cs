using Face2Data.Explanation;

namespace Face2Data.Server.Contracts;

/// <summary>One head's explanation: the attribution grid, the outputs it is relative to, and its overlay.</summary>
public sealed record AttributionResponse : AttributionSummary
{
    private AttributionResponse(HeadExplanation explanation)
        : base(explanation.Map)
    {
        OverlayPng = Convert.ToBase64String(explanation.OverlayPng);
    }

    /// <summary>The grid drawn over the face crop (red: supported, blue: worked against), a base64 PNG.</summary>
    public string OverlayPng { get; init; }

    /// <summary>Builds the response from a head's explanation.</summary>
    public static AttributionResponse From(HeadExplanation explanation)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        return new AttributionResponse(explanation);
    }
}
