using System.Globalization;
using Face2Data.Detection;
using Face2Data.Inference;

namespace Face2Data.Benchmarks;

/// <summary>
/// One detector configuration of the benchmark, written as <c>key=value</c> pairs over the Haar defaults:
/// <c>sf</c> scale factor, <c>mn</c> min neighbours, <c>max</c> detection max side (<c>none</c> for full
/// resolution), <c>pad</c> pad fraction, <c>padaspect</c> most aspect ratio padded (<c>inf</c> for all), <c>crop</c>
/// crop scan side (<c>none</c>), <c>min</c> min face size, <c>cascade</c> (default, alt, alt2, alt_tree or
/// a path), <c>yunet=PATH</c> (with <c>score</c>) for the YuNet detector, or <c>tiny=PATH</c> or <c>tiny=bundled</c> (with <c>size</c>
/// input size, <c>cropsize</c> crop input size (<c>none</c>), <c>score</c>, <c>min</c>, <c>framing=none</c> for the network's own boxes) for the Tiny Face Detector,
/// or <c>blazeface=full|short|back|PATH</c> (with <c>tile</c> tile side in source pixels, <c>overlap</c> tile overlap, <c>score</c>, <c>iou</c>,
/// <c>min</c>, <c>fscale</c> and <c>fshift</c> the framing's scale and shift) for MediaPipe's BlazeFace (<c>full</c>, <c>short</c> and <c>back</c> are the bundled files).
/// or <c>ssd=PATH</c> or <c>ssd=bundled</c> (with <c>score</c>, <c>iou</c>, <c>min</c>, <c>tile</c> tiling side (<c>none</c>), <c>overlap</c> tile
/// overlap, <c>faces</c> most faces, <c>framing=none</c> for a square around the network's box, <c>framing=haar</c> for the Tiny Face Detector's
/// Haar-like square; the network's own rectangle otherwise) for the SSD MobileNet v1.
/// </summary>
internal sealed record DetectorSetting(string Label, Func<IFaceDetector> Create)
{
    /// <summary>The defaults, then one change at a time, then the combinations the issue asks about.</summary>
    public static IReadOnlyList<string> DefaultGrid { get; } =
    [
        "default",
        "sf=1.05", "sf=1.2",
        "mn=2", "mn=4", "mn=5",
        "max=640", "max=1280", "max=none",
        "pad=0",
        "cascade=default", "cascade=alt",
        "sf=1.05,mn=5", "sf=1.2,mn=5", "sf=1.05,max=640", "sf=1.2,max=none",
    ];

    public static DetectorSetting Parse(string text)
    {
        var haar = new HaarFaceDetectorOptions();
        string? yunet = null;
        string? tiny = null;
        string? blaze = null;
        int? tile = null;
        double? overlap = null;
        float? iou = null;
        double? frameScale = null;
        double? frameShift = null;
        string? ssd = null;
        var tileGiven = false;
        int? maxFaces = null;
        int? size = null;
        int? cropSize = null;
        var cropSizeGiven = false;
        var ownFraming = false;
        CropGeometry? squareFraming = null;
        var score = 0.0f;
        var pairs = text == "default" ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var pair in pairs)
        {
            var parts = pair.Split('=', 2);
            if (parts.Length != 2)
            {
                throw new FormatException($"'{pair}' in setting '{text}' is not key=value.");
            }

            var (key, value) = (parts[0], parts[1]);
            haar = key switch
            {
                "sf" => haar with { ScaleFactor = Number(value) },
                "mn" => haar with { MinNeighbors = (int)Number(value) },
                "max" => haar with { DetectionMaxSide = value == "none" ? null : (int)Number(value) },
                "pad" => haar with { PadFraction = Number(value) },
                "min" => haar with { MinFaceSize = (int)Number(value) },
                "padaspect" => haar with { PadMaxAspect = value == "inf" ? double.PositiveInfinity : Number(value) },
                "crop" => haar with { CropScanSide = value == "none" ? null : (int)Number(value) },
                "cascade" => haar with { CascadePath = BenchmarkPaths.Cascade(value) },
                "yunet" or "score" or "tiny" or "size" or "framing" or "cropsize" or "blazeface" or "tile" or "overlap" or "iou" or "fscale" or "fshift" or "ssd" or "faces" => haar,
                _ => throw new FormatException($"Unknown key '{key}' in setting '{text}'."),
            };
            yunet = key == "yunet" ? value : yunet;
            tiny = key == "tiny" ? value : tiny;
            blaze = key == "blazeface" ? value : blaze;
            tile = key == "tile" ? (value == "none" ? null : (int)Number(value)) : tile;
            overlap = key == "overlap" ? Number(value) : overlap;
            iou = key == "iou" ? (float)Number(value) : iou;
            frameScale = key == "fscale" ? Number(value) : frameScale;
            frameShift = key == "fshift" ? Number(value) : frameShift;
            ssd = key == "ssd" ? value : ssd;
            tileGiven |= key == "tile";
            maxFaces = key == "faces" ? (int)Number(value) : maxFaces;
            size = key == "size" ? (int)Number(value) : size;
            cropSizeGiven |= key == "cropsize";
            cropSize = key == "cropsize" && value != "none" ? (int)Number(value) : cropSize;
            ownFraming = key == "framing" ? value == "none" : ownFraming;
            squareFraming = key == "framing" && value == "haar" ? TinyFaceDetectorOptions.HaarFraming : squareFraming;
            score = key == "score" ? (float)Number(value) : score;
        }

        if (yunet is not null)
        {
            var options = new YuNetFaceDetectorOptions { ModelPath = yunet, PadFraction = haar.PadFraction, MinFaceSize = haar.MinFaceSize };
            options = score > 0 ? options with { ScoreThreshold = score } : options;
            return new DetectorSetting(text, () => new YuNetFaceDetector(options));
        }

        if (ssd is not null)
        {
            // Unlike tiny's, the SSD's border and smallest face are its own defaults unless given.
            var options = new SsdFaceDetectorOptions { ModelPath = ssd == "bundled" ? null : ssd };
            options = pairs.Any(p => p.StartsWith("pad=", StringComparison.Ordinal)) ? options with { PadFraction = haar.PadFraction } : options;
            options = pairs.Any(p => p.StartsWith("min=", StringComparison.Ordinal)) ? options with { MinFaceSize = haar.MinFaceSize } : options;
            options = tileGiven ? options with { TileSide = tile } : options;
            options = score > 0 ? options with { ScoreThreshold = score } : options;
            options = iou is { } u ? options with { IouThreshold = u } : options;
            options = overlap is { } v ? options with { TileOverlap = (int)v } : options;
            options = maxFaces is { } m ? options with { MaxFaces = m } : options;
            options = ownFraming ? options with { Framing = CropGeometry.Identity } : options;
            options = squareFraming is { } f ? options with { Framing = f } : options;
            return new DetectorSetting(text, () => new SsdFaceDetector(options));
        }

        if (blaze is not null)
        {
            var path = blaze switch
            {
                "back" or "bundled" => null,
                "short" => BlazeFaceDetectorOptions.Bundled("blazeface_short_range.onnx"),
                "full" => BlazeFaceDetectorOptions.Bundled("blazeface_full_range.onnx"),
                _ => blaze,
            };
            var options = new BlazeFaceDetectorOptions { ModelPath = path };
            options = pairs.Any(p => p.StartsWith("tile=", StringComparison.Ordinal)) ? options with { TileSize = tile } : options;
            options = pairs.Any(p => p.StartsWith("min=", StringComparison.Ordinal)) ? options with { MinFaceSize = haar.MinFaceSize } : options;
            options = score > 0 ? options with { ScoreThreshold = score } : options;
            options = overlap is { } o ? options with { TileOverlap = o } : options;
            options = iou is { } i ? options with { IouThreshold = i } : options;
            options = frameScale is not null || frameShift is not null
                ? options with { Framing = new CropGeometry { Scale = frameScale ?? options.Framing.Scale, ShiftY = frameShift ?? options.Framing.ShiftY } }
                : options;
            return new DetectorSetting(text, () => new BlazeFaceDetector(options));
        }

        if (tiny is not null)
        {
            var options = new TinyFaceDetectorOptions { ModelPath = tiny == "bundled" ? null : tiny, PadFraction = haar.PadFraction, MinFaceSize = haar.MinFaceSize };
            options = score > 0 ? options with { ScoreThreshold = score } : options;
            options = size is { } s ? options with { InputSize = s } : options;
            options = ownFraming ? options with { Framing = CropGeometry.Identity } : options;
            options = cropSizeGiven ? options with { CropInputSize = cropSize } : options;
            return new DetectorSetting(text, () => new TinyFaceDetector(options));
        }

        return new DetectorSetting(text, () => new HaarFaceDetector(haar));
    }

    private static double Number(string value) => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
}
