namespace Face2Data.Explanation;

/// <summary>What a region of the face is replaced with when it is "removed" (see <see cref="BaselineImage"/>).</summary>
public enum AttributionBaseline
{
    /// <summary>The same face, strongly blurred (Gaussian, sigma = input side / 8): shapes and texture go, colours stay.</summary>
    Blur,

    /// <summary>The face's mean colour, everywhere.</summary>
    Mean,
}
