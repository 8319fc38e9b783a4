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

    /// <summary>Largest in-plane rotation either way, in degrees (what a detector's roll leaves); 0 = off.</summary>
    public double MaxRotationDegrees { get; init; }

    /// <summary>Probability that an image is turned to grayscale (LFW's photos are grayscale); 0 = off.</summary>
    public double GrayscaleProbability { get; init; }

    /// <summary>Largest change of brightness (added, as a fraction of full scale) and of contrast (a factor 1 ± this); 0 = off.</summary>
    public double MaxColorChange { get; init; }

    /// <summary>Probability of a Gaussian blur with σ up to <see cref="MaxBlurSigma"/> pixels; 0 = off.</summary>
    public double BlurProbability { get; init; }

    /// <summary>Largest blur σ in pixels of the model's input.</summary>
    public double MaxBlurSigma { get; init; } = 1.2;

    /// <summary>Probability of a JPEG round trip at a quality between <see cref="MinJpegQuality"/> and 95; 0 = off.</summary>
    public double JpegProbability { get; init; }

    /// <summary>Lowest JPEG quality of the round trip (1 to 95).</summary>
    public int MinJpegQuality { get; init; } = 30;

    /// <summary>No augmentation at all.</summary>
    public static AugmentationOptions None { get; } = new() { Flip = false, MaxShift = 0, MaxZoom = 0, CutoutProbability = 0 };

    /// <summary>True when at least one transform is on.</summary>
    public bool Any => Flip || MaxShift > 0 || MaxZoom > 0 || CutoutProbability > 0 || MaxRotationDegrees > 0 || AnyPhotometric;

    /// <summary>True when a transform of the pixels' values is on (grayscale, colour, blur, JPEG), applied to the 8-bit pixels before normalization.</summary>
    public bool AnyPhotometric => GrayscaleProbability > 0 || MaxColorChange > 0 || BlurProbability > 0 || JpegProbability > 0;

    /// <summary>
    /// Parses a comma-separated list of transforms to keep on (<c>flip,shift,zoom,cutout</c>, and for real photos
    /// <c>rotate</c> ±15°, <c>gray</c> 20 %, <c>color</c> ±0.2, <c>blur</c> 20 %, <c>jpeg</c> 30 %), or <c>none</c>; the ones
    /// left out are switched off.
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

        var unknown = names.Except(["flip", "shift", "zoom", "cutout", "rotate", "gray", "color", "blur", "jpeg"]).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown augmentation '{string.Join(", ", unknown)}'. Use flip, shift, zoom, cutout, rotate, gray, color, blur, jpeg or none.");
        }

        return new AugmentationOptions
        {
            Flip = names.Contains("flip"),
            MaxShift = names.Contains("shift") ? defaults.MaxShift : 0,
            MaxZoom = names.Contains("zoom") ? defaults.MaxZoom : 0,
            CutoutProbability = names.Contains("cutout") ? defaults.CutoutProbability : 0,
            MaxRotationDegrees = names.Contains("rotate") ? 15 : 0,
            GrayscaleProbability = names.Contains("gray") ? 0.2 : 0,
            MaxColorChange = names.Contains("color") ? 0.2 : 0,
            BlurProbability = names.Contains("blur") ? 0.2 : 0,
            JpegProbability = names.Contains("jpeg") ? 0.3 : 0,
        };
    }
}
