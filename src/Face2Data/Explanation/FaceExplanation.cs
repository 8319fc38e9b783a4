using Face2Data.Inference;

namespace Face2Data.Explanation;

/// <summary>Why the model said what it said about one face: its predictions and one explanation per explained head.</summary>
/// <param name="Number">Which face, from 1, in the analysis's order (largest first).</param>
/// <param name="Face">The face's box and every head's prediction, as the analysis gives them.</param>
/// <param name="Heads">One explanation per explained head, in schema order.</param>
/// <param name="Model">The explained model's manifest.</param>
public sealed record FaceExplanation(int Number, FaceResult Face, IReadOnlyList<HeadExplanation> Heads, ModelManifest Model);
