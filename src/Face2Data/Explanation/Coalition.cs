namespace Face2Data.Explanation;

/// <summary>A set of features (grid cells) kept from the input, and its weight in the KernelSHAP fit.</summary>
/// <param name="Members">One flag per feature: true when the feature is kept, false when it takes the baseline.</param>
/// <param name="Weight">Its weight in the weighted least-squares fit.</param>
public sealed record Coalition(bool[] Members, double Weight)
{
    /// <summary>Number of features kept.</summary>
    public int Size => Members.Count(m => m);
}
