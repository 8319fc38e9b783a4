namespace Face2Data.Explanation;

/// <summary>One head's explanation: the attribution grid and its overlay on the face crop.</summary>
/// <param name="Map">The attributions.</param>
/// <param name="OverlayPng">The map drawn over the face crop (<see cref="AttributionOverlay"/>), PNG bytes.</param>
public sealed record HeadExplanation(AttributionMap Map, byte[] OverlayPng);
