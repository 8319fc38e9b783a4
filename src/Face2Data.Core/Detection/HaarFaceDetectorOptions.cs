namespace Face2Data.Core.Detection;

/// <summary>
/// Settings of a <see cref="HaarFaceDetector"/>. The defaults were chosen with
/// <c>benchmarks/Face2Data.Benchmarks</c> (<c>detect</c>) on synthetic scenes of UTKFace faces; see that project's
/// README for the table.
/// </summary>
public sealed record HaarFaceDetectorOptions
{
    /// <summary>
    /// The cascade XML file; null searches <see cref="HaarFaceDetector.SearchFolders"/> for
    /// <see cref="HaarFaceDetector.DefaultCascadeFileName"/> (Debian's <c>opencv-data</c> package installs it).
    /// </summary>
    public string? CascadePath { get; init; }

    /// <summary>Ratio between successive scales of the image pyramid (greater than 1); smaller finds more, slower.</summary>
    public double ScaleFactor { get; init; } = 1.1;

    /// <summary>Overlapping raw hits needed to keep a face; higher drops more false faces and some true ones.</summary>
    public int MinNeighbors { get; init; } = 5;

    /// <summary>Smallest face reported, in pixels of the full-resolution image.</summary>
    public int MinFaceSize { get; init; } = 24;

    /// <summary>Most faces reported per image (the largest ones).</summary>
    public int MaxFaces { get; init; } = 20;

    /// <summary>
    /// Larger images are scaled down so their longer side is this many pixels before they are scanned (boxes are
    /// mapped back to full resolution); null scans at full resolution.
    /// </summary>
    public int? DetectionMaxSide { get; init; } = 960;

    /// <summary>
    /// Border of replicated pixels added to every side before scanning, as a fraction of the shorter side (0 to 1).
    /// A tight face crop (like UTKFace's) fills its image, and the cascade's window needs some margin around a face:
    /// of 500 UTKFace crops, 54% are found without a border, 92% with 0.1, 95.8% with 0.2 and no more with
    /// 0.3–0.5 (<c>face2data-bench crop-geometry</c>). The border costs scanning time on every image (about 1.8×
    /// the pixels of a 4:3 photo at 0.2).
    /// </summary>
    public double PadFraction { get; init; } = 0.2;

    /// <summary>Defaults.</summary>
    public static HaarFaceDetectorOptions Default { get; } = new();
}
