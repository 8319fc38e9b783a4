using Face2Data.Training.Training;

namespace Face2Data.Training.Features;

/// <summary>
/// One pass of the frozen trunk over every sample: view 0 sees the images as they are, later views see them
/// augmented (seeded, so a view is the same each time it is built).
/// </summary>
/// <param name="Index">0 for the plain images; 1, 2, … for augmented passes.</param>
/// <param name="Augmentation">The transforms of this view (<see cref="AugmentationOptions.None"/> for view 0).</param>
/// <param name="Seed">Seed of the augmentation draws.</param>
public sealed record FeatureView(int Index, AugmentationOptions Augmentation, int Seed)
{
    /// <summary>
    /// View 0 (plain) and <paramref name="augmentedViews"/> views with <paramref name="augmentation"/>, each with its
    /// own seed derived from <paramref name="seed"/>.
    /// </summary>
    public static IReadOnlyList<FeatureView> List(int augmentedViews, AugmentationOptions augmentation, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(augmentedViews);
        ArgumentNullException.ThrowIfNull(augmentation);
        return [new FeatureView(0, AugmentationOptions.None, seed), .. Enumerable.Range(1, augmentedViews).Select(i => new FeatureView(i, augmentation, unchecked((seed * 1_000_003) + i)))];
    }
}
