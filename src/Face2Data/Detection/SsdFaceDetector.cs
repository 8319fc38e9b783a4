using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace Face2Data.Detection;

/// <summary>
/// Finds faces with face-api.js's SSD MobileNet v1 face detector (MIT, about 5.6 M weights, trained on WIDER FACE),
/// run by ONNX Runtime: the file is made once with <c>face2data detector convert</c> from the weights npm publishes,
/// and one is bundled. Larger and slower per run than <see cref="TinyFaceDetector"/>, and much better on real photos
/// (models/README.md has the figures).
/// </summary>
/// <remarks>
/// As face-api.js does, the image (with a border when it looks like a tight crop) is filled out with black to a square
/// on the right or bottom and scaled to 512×512; the graph decodes the 5,118 anchor boxes and scores, and boxes
/// overlapping a better one are dropped. With <see cref="SsdFaceDetectorOptions.TileSide"/> a large image is also run
/// as overlapping 512×512 tiles at up to that size, in the same batch, and all boxes are merged. Thread-safe: ONNX
/// Runtime sessions may run on several threads at once. Dispose to free it.
/// </remarks>
public sealed class SsdFaceDetector : IFaceDetector
{
    /// <summary>Name of the ONNX graph's input: RGB pixels (0 to 255) as float [N, 3, side, side] (512 for face-api.js's).</summary>
    public const string InputName = "image";

    /// <summary>Name of the output holding every anchor's box, [N, anchors, 4] as (x1, y1, x2, y2) in input pixels.</summary>
    public const string BoxesName = "boxes";

    /// <summary>Name of the output holding every anchor's face score (0 to 1), [N, anchors].</summary>
    public const string ScoresName = "scores";

    /// <summary>
    /// The side of the network's square input in face-api.js, whose anchors the weights hold, and in the bundled file.
    /// A file converted for another side (<c>detector convert --input-size</c>) runs at that side (<see cref="Side"/>).
    /// </summary>
    public const int InputSize = 512;

    // An image is tiled only when its tiled size is at least this many times the input (else one run sees as much).
    private const double TilingMinRatio = 1.25;

    // A tile's box that reaches within this many pixels of an edge the tile shares with a neighbour belongs to a face
    // the tile cuts; the neighbour (or the whole-image run) sees that face whole.
    private const float CutMargin = 4;

    private readonly SsdFaceDetectorOptions _options;
    private readonly OnnxNetwork _network;

    /// <summary>Loads the network and checks the settings.</summary>
    /// <exception cref="FileNotFoundException">No file at <see cref="SsdFaceDetectorOptions.ModelPath"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a converted SSD MobileNet v1.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public SsdFaceDetector(SsdFaceDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = options;
        ModelPath = Path.GetFullPath(options.ModelPath ?? SsdFaceDetectorOptions.BundledPath);
        _network = OnnxNetwork.Open(
            ModelPath,
            new SessionOptions { IntraOpNumThreads = options.IntraOpThreads },
            $"No SSD MobileNet v1 model at '{ModelPath}'. Make it with 'face2data detector convert' (see models/README.md), or use another detector.",
            "an SSD MobileNet v1",
            [InputName],
            [BoxesName, ScoresName]);
        var dimensions = _network.Session.InputMetadata[InputName].Dimensions;
        Side = dimensions is [_, 3, var h, var w] && h == w && h > 0 ? h : 0;
        if (Side == 0 || options.TileSide <= Side || options.TileOverlap > Side / 2)
        {
            _network.Dispose();
            throw Side == 0
                ? new InvalidDataException($"'{ModelPath}' takes an input of shape [{string.Join(", ", dimensions)}]; expected [N, 3, side, side].")
                : new ArgumentOutOfRangeException(nameof(options), $"TileSide must be more than the network's input side ({Side}) and TileOverlap at most half of it.");
        }
    }

    /// <summary>The side of the network's square input, in pixels (512 for the bundled file).</summary>
    public int Side { get; }

    /// <summary>The model file in use.</summary>
    public string ModelPath { get; }

    /// <summary>The settings in use.</summary>
    public SsdFaceDetectorOptions Options => _options;

    /// <inheritdoc />
    public int? ScanSide => _options.TileSide ?? Side;

    /// <summary>
    /// Faces in an 8-bit image (BGR, gray or BGRA), largest first, at most <see cref="SsdFaceDetectorOptions.MaxFaces"/>,
    /// in the image's pixels and clamped to it; the score is the network's (0 to 1).
    /// </summary>
    public IReadOnlyList<DetectedFace> Detect(Mat bgr)
    {
        DetectionFrame.RequireImage(bgr);

        var pad = DetectionFrame.BorderFraction(bgr.Width, bgr.Height, _options.PadFraction, _options.PadMaxAspect);
        var scale = DetectionFrame.FitScale(bgr.Width, bgr.Height, pad, Side);
        using var frame = DetectionFrame.Create(bgr, scale, pad, grayscale: false, new Size(Side, Side));
        var views = new List<View> { new(frame.Image, -frame.Pad, -frame.Pad, frame.Scale, CutLeft: false, CutTop: false, CutRight: false, CutBottom: false) { Width = Side, Height = Side } };
        using var tiled = Tiles(bgr, views);
        try
        {
            var boxes = Run(views);
            return Faces(NonMaxSuppression.Suppress(boxes, _options.IouThreshold), bgr.Width, bgr.Height);
        }
        finally
        {
            foreach (var view in views.Skip(1))
            {
                view.Image.Dispose();
            }
        }
    }

    /// <summary>
    /// Where tiles of <paramref name="tile"/> pixels start along a side of <paramref name="length"/> pixels so that
    /// they cover it and neighbours overlap by at least <paramref name="overlap"/>, spread evenly; one tile at 0 when
    /// the side fits a tile.
    /// </summary>
    public static IReadOnlyList<int> TileOrigins(int length, int tile, int overlap)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tile, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(overlap);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(overlap, tile);
        if (length <= tile)
        {
            return [0];
        }

        var count = (int)Math.Ceiling((length - overlap) / (double)(tile - overlap));
        return Enumerable.Range(0, count).Select(i => (int)Math.Round(i * (length - tile) / (double)(count - 1))).ToList();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _network.Dispose();
    }

    // Adds the tiles of the image scaled to TileSide (when that is large enough to help) and returns the scaled image.
    private Mat? Tiles(Mat bgr, List<View> views)
    {
        if (_options.TileSide is not { } tileSide)
        {
            return null;
        }

        var tileScale = Math.Min(1.0, tileSide / (double)Math.Max(bgr.Width, bgr.Height));
        if (Math.Max(bgr.Width, bgr.Height) * tileScale < TilingMinRatio * Side)
        {
            return null;
        }

        using var frame = DetectionFrame.Create(bgr, tileScale, 0, grayscale: false);
        var scaled = frame.Image.Clone();
        var (width, height) = (scaled.Width, scaled.Height);
        foreach (var top in TileOrigins(height, Side, _options.TileOverlap))
        {
            foreach (var left in TileOrigins(width, Side, _options.TileOverlap))
            {
                var area = new Rect(left, top, Math.Min(Side, width - left), Math.Min(Side, height - top));
                var tile = new Mat(Side, Side, MatType.CV_8UC3, Scalar.All(0));
                using (var source = new Mat(scaled, area))
                using (var target = new Mat(tile, new Rect(0, 0, area.Width, area.Height)))
                {
                    source.CopyTo(target);
                }

                views.Add(new View(tile, left, top, frame.Scale, CutLeft: left > 0, CutTop: top > 0, CutRight: left + area.Width < width, CutBottom: top + area.Height < height) { Width = area.Width, Height = area.Height });
            }
        }

        return scaled;
    }

    // Runs all views as one batch; the boxes above the score threshold, in source pixels.
    private List<ScoredBox> Run(IReadOnlyList<View> views)
    {
        var plane = Side * Side;
        var length = 3 * plane * views.Count;
        var input = ArrayPool<float>.Shared.Rent(length);
        try
        {
            for (var i = 0; i < views.Count; i++)
            {
                NetworkInput.WritePlanarRgb(views[i].Image, input.AsSpan(3 * plane * i, 3 * plane));
            }

            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, length), [views.Count, 3, Side, Side]);
            using var runOptions = new RunOptions();
            using var outputs = _network.Session.Run(runOptions, [InputName], [value], [BoxesName, ScoresName]);
            var boxShape = outputs[0].GetTensorTypeAndShape().Shape;
            if (boxShape is not [_, var anchors, 4] || boxShape[0] != views.Count || outputs[1].GetTensorTypeAndShape().ElementCount != views.Count * anchors)
            {
                throw new InvalidDataException($"'{ModelPath}' gives boxes of shape [{string.Join(", ", boxShape)}]; expected [{views.Count}, anchors, 4] and scores for each.");
            }

            var boxes = outputs[0].GetTensorDataAsSpan<float>();
            var scores = outputs[1].GetTensorDataAsSpan<float>();
            var found = new List<ScoredBox>();
            for (var v = 0; v < views.Count; v++)
            {
                var view = views[v];
                for (var a = 0; a < anchors; a++)
                {
                    var score = scores[(int)((v * anchors) + a)];
                    if (score < _options.ScoreThreshold)
                    {
                        continue;
                    }

                    var box = boxes.Slice((int)(((v * anchors) + a) * 4), 4);
                    var (x1, y1, x2, y2) = (box[0], box[1], box[2], box[3]);
                    if (x2 <= x1 || y2 <= y1 || view.Cuts(x1, y1, x2, y2))
                    {
                        continue;
                    }

                    var scale = view.Scale;
                    found.Add(new ScoredBox((float)((x1 + view.Left) / scale), (float)((y1 + view.Top) / scale), (float)((x2 - x1) / scale), (float)((y2 - y1) / scale), score));
                }
            }

            return found;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input);
        }
    }

    // Kept boxes (source pixels) → framed, clamped faces, the best MaxFaces, largest first.
    private List<DetectedFace> Faces(List<ScoredBox> kept, int width, int height)
    {
        var faces = new List<DetectedFace>();
        foreach (var (x, y, w, h, score) in kept)
        {
            var (centreX, centreY) = (x + (w / 2.0), y + (h / 2.0));
            var (halfWidth, halfHeight) = (w / 2.0, h / 2.0);
            if (_options.Framing is { } framing)
            {
                var side = Math.Max(w, h) * framing.Scale;
                centreY += framing.ShiftY * side;
                (halfWidth, halfHeight) = (side / 2, side / 2);
            }

            var left = Math.Max(0, (int)Math.Round(centreX - halfWidth));
            var top = Math.Max(0, (int)Math.Round(centreY - halfHeight));
            var right = Math.Min(width, (int)Math.Round(centreX + halfWidth));
            var bottom = Math.Min(height, (int)Math.Round(centreY + halfHeight));
            if (right > left && bottom > top && Math.Max(right - left, bottom - top) >= _options.MinFaceSize)
            {
                faces.Add(new DetectedFace(new FaceBox(left, top, right - left, bottom - top), score));
            }
        }

        return faces.OrderByDescending(f => f.Score).Take(_options.MaxFaces).OrderByDescending(f => f.Box.Area).ToList();
    }

    private static void Validate(SsdFaceDetectorOptions options)
    {
        if (options.ModelPath is not null && string.IsNullOrWhiteSpace(options.ModelPath))
        {
            throw new ArgumentException("ModelPath is empty; leave it null for the bundled model.", nameof(options));
        }

        if (!(options.ScoreThreshold is >= 0 and <= 1) || !(options.IouThreshold is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "ScoreThreshold and IouThreshold must be between 0 and 1.");
        }

        if (options.TileSide is { } tileSide && tileSide is < 1 or > 8192)
        {
            throw new ArgumentOutOfRangeException(nameof(options), tileSide, "TileSide must be more than the network's input side and at most 8192, or null.");
        }

        if (options.TileOverlap < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.TileOverlap, "TileOverlap must be at least 0 and at most half the network's input side.");
        }

        if (options.MinFaceSize < 1 || options.MaxFaces < 1 || options.IntraOpThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MinFaceSize and MaxFaces must be at least 1, IntraOpThreads at least 0.");
        }

        if (options.Framing is { } framing && (!(framing.Scale > 0) || !double.IsFinite(framing.ShiftY)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Framing needs a positive scale and a finite shift.");
        }

        if (!(options.PadFraction is >= 0 and <= 1) || !(options.PadMaxAspect >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "PadFraction must be between 0 and 1, PadMaxAspect at least 1.");
        }
    }

    // One input of the batch: its pixels map to source pixels as (x + Left) / Scale; a Cut side is shared with
    // another tile; Width × Height of it is image (the rest is black fill).
    private sealed record View(Mat Image, double Left, double Top, double Scale, bool CutLeft, bool CutTop, bool CutRight, bool CutBottom)
    {
        public required int Width { get; init; }

        public required int Height { get; init; }

        public bool Cuts(float x1, float y1, float x2, float y2) =>
            (CutLeft && x1 < CutMargin) || (CutTop && y1 < CutMargin) ||
            (CutRight && x2 > Width - CutMargin) || (CutBottom && y2 > Height - CutMargin);
    }
}
