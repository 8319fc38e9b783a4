namespace Face2Data.Detection;

/// <summary>
/// Settings of a <see cref="HaarFaceDetector"/>. The defaults were chosen with <c>face2data-bench detect --scenes 100
/// --seed 8</c> (benchmarks/Face2Data.Benchmarks, whose README has the table): on 100 synthetic scenes of 336 UTKFace
/// faces they find 95.2% of the faces with 97.3% precision, at 290 ms of one core per megapixel.
/// </summary>
public sealed record HaarFaceDetectorOptions
{
    /// <summary>
    /// The cascade XML file; null searches <see cref="HaarFaceDetector.SearchFolders"/> for
    /// <see cref="HaarFaceDetector.DefaultCascadeFileName"/> (Debian's <c>opencv-data</c> package installs it).
    /// </summary>
    public string? CascadePath { get; init; }

    /// <summary>
    /// Ratio between successive scales of the image pyramid (greater than 1 and at most 2); smaller finds more,
    /// slower. 1.05 found 0.9 points more faces at 1.9× the time and 3 points less precision; 1.2 found 2.9 points
    /// fewer at 0.56× the time.
    /// </summary>
    public double ScaleFactor { get; init; } = 1.1;

    /// <summary>
    /// Overlapping raw hits needed to keep a face; higher drops more false faces and some true ones. 3 kept 2 points
    /// more faces than 4 or 5 for 0.8 points of precision; 2 kept 0.6 points more for 2.6 points of precision. With a
    /// coarser scan (ScaleFactor 1.2, DetectionMaxSide 640: the speed profile in docs/performance.md) each face gets
    /// fewer raw hits, and 1 keeps 0.932 of the faces instead of 0.869 at 0.951 precision instead of 0.983.
    /// </summary>
    public int MinNeighbors { get; init; } = 3;

    /// <summary>
    /// Smallest window scanned, in pixels of the full-resolution image: faces smaller than this are not looked for
    /// (a face a little smaller may still be reported in a larger box). Raising it saves time on large photos.
    /// </summary>
    public int MinFaceSize { get; init; } = 24;

    /// <summary>Most faces reported per image (the largest ones).</summary>
    public int MaxFaces { get; init; } = 20;

    /// <summary>
    /// Larger images are scaled down so their longer side is this many pixels before they are scanned (boxes are
    /// mapped back to full resolution); null scans at full resolution. In scenes of 0.3 to 3.1 megapixels, 640 lost
    /// 4 points of recall (mostly faces under 96 pixels), 1280 gained 0.6 points at 1.36× the time, and full
    /// resolution gained nothing at 1.9× the time.
    /// </summary>
    public int? DetectionMaxSide { get; init; } = 960;

    /// <summary>
    /// Border of replicated pixels added to every side before scanning, as a fraction of the shorter side (0 to 1).
    /// A tight face crop (like UTKFace's) fills its image, and the cascade's window needs some margin around a face:
    /// of 500 UTKFace crops, 68% are found without a border (and then mostly in boxes too small), 95.4% with 0.1,
    /// 97.8% with 0.2 and at most 98.4% with 0.25–0.5 (<c>face2data-bench crop-geometry</c>). On photos the border
    /// costs time (it scans 1.8× the pixels of a 4:3 image): in the synthetic scenes 290 against 225 ms per
    /// megapixel, with 0.9 points less recall. Set 0 when inputs are never tight crops.
    /// </summary>
    public double PadFraction { get; init; } = 0.2;

    /// <summary>
    /// The border (<see cref="PadFraction"/>) is added only to images whose longer side is at most this many times
    /// the shorter: tight crops are square or nearly, photos 4:3 or wider. <see cref="double.PositiveInfinity"/> pads
    /// every image. On the 100 synthetic scenes (all 4:3 or 3:4) the default scans them unpadded.
    /// </summary>
    public double PadMaxAspect { get; init; } = 1.25;

    /// <summary>
    /// An image that looks like a face crop (<see cref="FaceCrop.LooksLikeACrop"/>: near-square, at
    /// most 512 pixels) is first scanned small: scaled so that, border included, its longer side is this many
    /// pixels. The face fills such an image, and a cascade's cost grows with the pixels scanned and with the range of
    /// window sizes, so this pass costs a fraction of a full one; only when it finds nothing is the image scanned at
    /// its own size. An image holding a large face and smaller ones then reports the large one only. Null scans
    /// crops once, like any image. On 500 UTKFace crops (<c>face2data-bench crop-geometry --count 500 --seed 1</c>)
    /// 56 found 98.0% rather than 97.8%, framed 97.6% rather than 94.8% with IoU ≥ 0.8 (median IoU 0.855 rather
    /// than 0.897), in 4.2 rather than 58.9 ms of one core per crop; 64 took 4.9 ms, 80 kept the median IoU at 0.889
    /// for 7.5 ms, and 48 sent more crops to the full scan (6.3 ms).
    /// </summary>
    public int? CropScanSide { get; init; } = 56;

    /// <summary>Defaults.</summary>
    public static HaarFaceDetectorOptions Default { get; } = new();
}
