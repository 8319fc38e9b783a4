namespace Face2Data.Training.Training;

/// <summary>
/// Training-time augmentation, as in the person-attributes reference. Each transform is switched off by a zero
/// (or false).
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>Mirror half of the images left-right.</summary>
    public bool Flip { get; init; } = true;

    /// <summary>Largest shift, as a fraction of the image side, in each direction.</summary>
    public double MaxShift { get; init; } = 0.08;

    /// <summary>Largest zoom in or out, as a fraction (0.1 → scale in [0.9, 1.1]).</summary>
    public double MaxZoom { get; init; } = 0.1;

    /// <summary>Probability that an image gets one cutout (random erasing) square.</summary>
    public double CutoutProbability { get; init; } = 0.5;

    /// <summary>Side of the cutout square as a fraction of the image side.</summary>
    public double CutoutFraction { get; init; } = 0.3;

    /// <summary>No augmentation at all.</summary>
    public static AugmentationOptions None { get; } = new() { Flip = false, MaxShift = 0, MaxZoom = 0, CutoutProbability = 0 };

    /// <summary>True when at least one transform is on.</summary>
    public bool Any => Flip || MaxShift > 0 || MaxZoom > 0 || CutoutProbability > 0;

    /// <summary>
    /// Parses a comma-separated list of transforms to keep on (<c>flip,shift,zoom,cutout</c>), or <c>none</c>;
    /// the ones left out are switched off.
    /// </summary>
    public static AugmentationOptions Parse(string text)
    {
        var defaults = new AugmentationOptions();
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant()).ToHashSet();
        if (names.SetEquals(["none"]))
        {
            return None;
        }

        var unknown = names.Except(["flip", "shift", "zoom", "cutout"]).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown augmentation '{string.Join(", ", unknown)}'. Use flip, shift, zoom, cutout or none.");
        }

        return new AugmentationOptions
        {
            Flip = names.Contains("flip"),
            MaxShift = names.Contains("shift") ? defaults.MaxShift : 0,
            MaxZoom = names.Contains("zoom") ? defaults.MaxZoom : 0,
            CutoutProbability = names.Contains("cutout") ? defaults.CutoutProbability : 0,
        };
    }
}
