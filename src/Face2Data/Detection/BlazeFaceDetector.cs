using System.Buffers;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace Face2Data.Detection;

/// <summary>
/// Finds faces with MediaPipe's BlazeFace detectors (Apache-2.0): the full-range model (192-pixel input, 2,304
/// anchors), the short-range one (128, 896) or the older back-camera BlazeFace (256, 896), converted from their
/// TensorFlow.js graph models by <c>face2data detector convert-graph --normalize mediapipe</c>; all three are
/// bundled, the back-camera one is the default.
/// </summary>
/// <remarks>
/// The image (with a border when it looks like a tight crop) is scaled so its longer side fills the network's square
/// input (filled out with black) and run once;
/// with <see cref="BlazeFaceDetectorOptions.TileSize"/> it is also run on overlapping tiles of that side, whose
/// faces touching an inner tile edge are dropped (another tile holds them whole). Every anchor's output is decoded as
/// MediaPipe's <c>TensorsToDetectionsCalculator</c> does (box centre = anchor centre + offset / input side, size =
/// raw / input side, six keypoints likewise, score = sigmoid of the logit clipped to ±100), candidates above the
/// score threshold are blended by MediaPipe's weighted non-maximum suppression, and boxes are mapped back to the
/// image. Thread-safe: ONNX Runtime sessions may run on several threads at once. Dispose to free it.
/// </remarks>
public sealed class BlazeFaceDetector : IFaceDetector
{
    /// <summary>Box (4) and six keypoints (12) per anchor.</summary>
    public const int CoordinatesPerAnchor = 16;

    /// <summary>Keypoints per face.</summary>
    public const int Keypoints = 6;

    private const float ScoreClip = 100f;

    private readonly BlazeFaceDetectorOptions _options;
    private readonly OnnxNetwork _network;
    private readonly string _inputName;
    private readonly IReadOnlyList<(float X, float Y)> _anchors;
    private readonly string[] _scoreOutputs;
    private readonly string[] _coordinateOutputs;
    private readonly bool _combined;

    /// <summary>Loads the network, checks the settings and runs it once to learn its output layout.</summary>
    /// <exception cref="FileNotFoundException">No file at <see cref="BlazeFaceDetectorOptions.ModelPath"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a converted BlazeFace model.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public BlazeFaceDetector(BlazeFaceDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = options;
        ModelPath = Path.GetFullPath(options.ModelPath ?? BlazeFaceDetectorOptions.BundledPath);
        _network = OnnxNetwork.Open(
            ModelPath,
            new SessionOptions { IntraOpNumThreads = options.IntraOpThreads },
            $"No BlazeFace model at '{ModelPath}'. Make it with 'face2data detector convert-graph' (see models/README.md).",
            "a BlazeFace model",
            [],
            []);
        try
        {
            (_inputName, InputSize) = ReadInput(_network.Session, ModelPath);
            _anchors = BlazeFaceAnchors.ForInputSize(InputSize);
            ScoreThreshold = options.ScoreThreshold ?? BlazeFaceDetectorOptions.DefaultScoreThreshold(InputSize);
            (_combined, _scoreOutputs, _coordinateOutputs) = ReadLayout();
        }
        catch
        {
            _network.Dispose();
            throw;
        }
    }

    /// <summary>The model file in use.</summary>
    public string ModelPath { get; }

    /// <summary>The network's square input side (128, 192 or 256).</summary>
    public int InputSize { get; }

    /// <summary>The score threshold in use (the setting, or the model's default).</summary>
    public float ScoreThreshold { get; }

    /// <summary>The settings in use.</summary>
    public BlazeFaceDetectorOptions Options => _options;

    /// <inheritdoc />
    public int? ScanSide => _options.TileSize is null ? InputSize : _options.MaxScanSide;

    /// <summary>Faces in an 8-bit image (BGR, gray or BGRA), largest first, in the image's pixels and clamped to it.</summary>
    public IReadOnlyList<DetectedFace> Detect(Mat bgr) => DetectWithKeypoints(bgr).Select(d => d.Face).ToList();

    /// <summary>As <see cref="Detect"/>, with each face's six keypoints.</summary>
    public IReadOnlyList<BlazeFaceDetection> DetectWithKeypoints(Mat bgr)
    {
        DetectionFrame.RequireImage(bgr);
        var longSide = Math.Max(bgr.Width, bgr.Height);
        if (_options.TileSize is null || _options.MaxScanSide is not { } maxSide || longSide <= maxSide)
        {
            return DetectAtScale(bgr);
        }

        // A phone photo would take a hundred tiles: scan it scaled down to MaxScanSide, and scale the faces back up.
        var factor = (double)longSide / maxSide;
        using var scaled = new Mat();
        Cv2.Resize(bgr, scaled, new Size(Math.Max(1, (int)Math.Round(bgr.Width / factor)), Math.Max(1, (int)Math.Round(bgr.Height / factor))), 0, 0, InterpolationFlags.Area);
        return DetectAtScale(scaled).Select(d => ScaleUp(d, factor, bgr.Width, bgr.Height)).ToList();
    }

    private static BlazeFaceDetection ScaleUp(BlazeFaceDetection detection, double factor, int width, int height)
    {
        var box = detection.Face.Box;
        var left = Math.Clamp((int)Math.Round(box.X * factor), 0, width - 1);
        var top = Math.Clamp((int)Math.Round(box.Y * factor), 0, height - 1);
        var right = Math.Clamp((int)Math.Round((box.X + box.Width) * factor), left + 1, width);
        var bottom = Math.Clamp((int)Math.Round((box.Y + box.Height) * factor), top + 1, height);
        var points = detection.Keypoints.Select(p => new FacePoint((float)(p.X * factor), (float)(p.Y * factor))).ToList();
        return new BlazeFaceDetection(detection.Face with { Box = new FaceBox(left, top, right - left, bottom - top) }, points);
    }

    private List<BlazeFaceDetection> DetectAtScale(Mat bgr)
    {
        var whole = new Rect(0, 0, bgr.Width, bgr.Height);
        var candidates = Scan(bgr, whole, DetectionFrame.BorderFraction(bgr.Width, bgr.Height, _options.PadFraction, _options.PadMaxAspect));
        if (_options.TileSize is { } tile && Math.Max(bgr.Width, bgr.Height) > tile)
        {
            // Tiles are independent runs of a thread-safe session: up to TileThreads of them at once, merged in tile order.
            var tiles = Tiles(bgr.Width, bgr.Height, tile, _options.TileOverlap);
            var found = new List<KeypointBox>[tiles.Count];
            Parallel.For(0, tiles.Count, new ParallelOptions { MaxDegreeOfParallelism = _options.TileThreads }, i =>
                found[i] = Scan(bgr, tiles[i], 0).Where(c => !TouchesInnerEdge(c.Box, tiles[i], bgr.Width, bgr.Height)).ToList());
            candidates.AddRange(found.SelectMany(f => f));
        }

        var faces = new List<BlazeFaceDetection>();
        foreach (var (box, points) in WeightedSuppression.Blend(candidates, _options.IouThreshold))
        {
            var side = Math.Max(box.Width, box.Height) * _options.Framing.Scale;
            var centreX = box.X + (box.Width / 2.0);
            var centreY = box.Y + (box.Height / 2.0) + (_options.Framing.ShiftY * side);
            var left = Math.Max(0, (int)Math.Round(centreX - (side / 2)));
            var top = Math.Max(0, (int)Math.Round(centreY - (side / 2)));
            var right = Math.Min(bgr.Width, (int)Math.Round(centreX + (side / 2)));
            var bottom = Math.Min(bgr.Height, (int)Math.Round(centreY + (side / 2)));
            if (right > left && bottom > top && Math.Max(box.Width, box.Height) >= _options.MinFaceSize)
            {
                faces.Add(new BlazeFaceDetection(new DetectedFace(new FaceBox(left, top, right - left, bottom - top), box.Score), points));
            }
        }

        return faces.OrderByDescending(f => f.Face.Score).Take(_options.MaxFaces).OrderByDescending(f => f.Face.Box.Area).ToList();
    }

    /// <summary>
    /// Decodes one output: the candidates scoring at least <paramref name="scoreThreshold"/>, in pixels of the
    /// network's input (MediaPipe's decoding with x, y, w, h order and every scale the input side).
    /// </summary>
    /// <param name="scores">One logit per anchor.</param>
    /// <param name="coordinates">Sixteen values per anchor: box centre offset and size, then six keypoint offsets.</param>
    /// <param name="anchors">The anchor centres, normalised.</param>
    /// <param name="inputSize">The input side in pixels.</param>
    /// <param name="scoreThreshold">Lowest score kept.</param>
    public static List<KeypointBox> Decode(ReadOnlySpan<float> scores, ReadOnlySpan<float> coordinates, IReadOnlyList<(float X, float Y)> anchors, int inputSize, float scoreThreshold)
    {
        var boxes = new List<KeypointBox>();
        for (var i = 0; i < anchors.Count; i++)
        {
            var score = 1 / (1 + Math.Exp(-Math.Clamp(scores[i], -ScoreClip, ScoreClip)));
            if (score < scoreThreshold)
            {
                continue;
            }

            var raw = coordinates.Slice(i * CoordinatesPerAnchor, CoordinatesPerAnchor);
            var (anchorX, anchorY) = (anchors[i].X * inputSize, anchors[i].Y * inputSize);
            var (centreX, centreY, width, height) = (anchorX + raw[0], anchorY + raw[1], raw[2], raw[3]);
            var points = new FacePoint[Keypoints];
            for (var k = 0; k < Keypoints; k++)
            {
                points[k] = new FacePoint(anchorX + raw[4 + (2 * k)], anchorY + raw[5 + (2 * k)]);
            }

            boxes.Add(new KeypointBox(new ScoredBox(centreX - (width / 2), centreY - (height / 2), width, height, (float)score), points));
        }

        return boxes;
    }

    /// <summary>Overlapping square tiles of side <paramref name="tile"/> covering a width × height image, evenly spaced (one whole-image rectangle when it is no larger).</summary>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="tile">Tile side.</param>
    /// <param name="overlap">Least overlap of neighbours, as a fraction of the side.</param>
    public static List<Rect> Tiles(int width, int height, int tile, double overlap)
    {
        static List<(int Start, int Length)> Spans(int length, int tile, double overlap)
        {
            if (length <= tile)
            {
                return [(0, length)];
            }

            var step = tile * (1 - overlap);
            var count = (int)Math.Ceiling((length - tile) / step) + 1;
            var spacing = (double)(length - tile) / (count - 1);
            return Enumerable.Range(0, count).Select(i => ((int)Math.Round(i * spacing), tile)).ToList();
        }

        var rows = Spans(height, tile, overlap);
        return Spans(width, tile, overlap).SelectMany(c => rows.Select(r => new Rect(c.Start, r.Start, c.Length, r.Length))).ToList();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _network.Dispose();
    }

    // A face cut by a tile's edge inside the image is found whole by a neighbouring tile or the whole-image run.
    private static bool TouchesInnerEdge(ScoredBox box, Rect tile, int width, int height)
    {
        var margin = 0.01 * tile.Width;
        return (tile.X > 0 && box.X < tile.X + margin)
            || (tile.Y > 0 && box.Y < tile.Y + margin)
            || (tile.Right < width && box.X + box.Width > tile.Right - margin)
            || (tile.Bottom < height && box.Y + box.Height > tile.Bottom - margin);
    }

    // One run on `region` of the image (with a border of `pad` of its shorter side) scaled so it fills the input;
    // candidates in image pixels.
    private List<KeypointBox> Scan(Mat bgr, Rect region, double pad)
    {
        using var part = region.Width == bgr.Width && region.Height == bgr.Height ? null : new Mat(bgr, region);
        var source = part ?? bgr;
        var scale = DetectionFrame.FitScale(source.Width, source.Height, pad, InputSize);
        using var frame = DetectionFrame.Create(source, scale, pad, grayscale: false, new Size(InputSize, InputSize));
        var candidates = Run(frame.Image);
        var toSource = 1 / frame.Scale;
        var offsetX = region.X - (frame.Pad * toSource);
        var offsetY = region.Y - (frame.Pad * toSource);
        for (var i = 0; i < candidates.Count; i++)
        {
            var (box, points) = candidates[i];
            var mapped = new FacePoint[points.Length];
            for (var k = 0; k < points.Length; k++)
            {
                mapped[k] = new FacePoint((float)((points[k].X * toSource) + offsetX), (float)((points[k].Y * toSource) + offsetY));
            }

            candidates[i] = new KeypointBox(
                new ScoredBox((float)((box.X * toSource) + offsetX), (float)((box.Y * toSource) + offsetY), (float)(box.Width * toSource), (float)(box.Height * toSource), box.Score),
                mapped);
        }

        return candidates;
    }

    private List<KeypointBox> Run(Mat image)
    {
        var count = 3 * InputSize * InputSize;
        var input = ArrayPool<float>.Shared.Rent(count);
        try
        {
            NetworkInput.WritePlanarRgb(image, input.AsSpan(0, count));
            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, count), [1, 3, InputSize, InputSize]);
            using var runOptions = new RunOptions();
            var names = _combined ? _scoreOutputs : [.. _scoreOutputs, .. _coordinateOutputs];
            using var outputs = _network.Session.Run(runOptions, [_inputName], [value], names);
            if (_combined)
            {
                var all = outputs[0].GetTensorDataAsSpan<float>();
                var scores = new float[_anchors.Count];
                var coordinates = new float[_anchors.Count * CoordinatesPerAnchor];
                for (var i = 0; i < _anchors.Count; i++)
                {
                    scores[i] = all[i * (CoordinatesPerAnchor + 1)];
                    all.Slice((i * (CoordinatesPerAnchor + 1)) + 1, CoordinatesPerAnchor).CopyTo(coordinates.AsSpan(i * CoordinatesPerAnchor));
                }

                return Decode(scores, coordinates, _anchors, InputSize, ScoreThreshold);
            }

            var scoreList = new List<float>(_anchors.Count);
            var coordinateList = new List<float>(_anchors.Count * CoordinatesPerAnchor);
            for (var i = 0; i < _scoreOutputs.Length; i++)
            {
                scoreList.AddRange(outputs[i].GetTensorDataAsSpan<float>());
            }

            for (var i = 0; i < _coordinateOutputs.Length; i++)
            {
                coordinateList.AddRange(outputs[_scoreOutputs.Length + i].GetTensorDataAsSpan<float>());
            }

            return Decode(scoreList.ToArray(), coordinateList.ToArray(), _anchors, InputSize, ScoreThreshold);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input);
        }
    }

    private static (string Name, int Side) ReadInput(InferenceSession session, string path)
    {
        if (session.InputMetadata.Count != 1)
        {
            throw new InvalidDataException($"'{path}' has {session.InputMetadata.Count} inputs; a converted BlazeFace model has one image input.");
        }

        var (name, metadata) = session.InputMetadata.First();
        var dims = metadata.Dimensions;
        if (dims.Length != 4 || dims[1] != 3 || dims[2] <= 0 || dims[2] != dims[3])
        {
            throw new InvalidDataException($"'{path}' takes [{string.Join(", ", dims)}]; a converted BlazeFace model takes [N, 3, S, S].");
        }

        var scale = session.ModelMetadata.CustomMetadataMap.TryGetValue("input_scale", out var text) && float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 1f;
        if (Math.Abs(scale - (1 / 127.5f)) > 1e-6f)
        {
            throw new InvalidDataException($"'{path}' does not normalise its pixels as MediaPipe does; convert it with '--normalize mediapipe'.");
        }

        return (name, dims[2]);
    }

    // One combined [1, anchors, 17] output (score, then 16 coordinates), taken first in output order; or score outputs
    // [1, n, 1] and coordinate outputs [1, n, 16], concatenated in output order.
    private (bool Combined, string[] Scores, string[] Coordinates) ReadLayout()
    {
        var count = 3 * InputSize * InputSize;
        using var value = OrtValue.CreateTensorValueFromMemory(new float[count], [1, 3, InputSize, InputSize]);
        using var runOptions = new RunOptions();
        var names = _network.Session.OutputNames.ToArray();
        using var outputs = _network.Session.Run(runOptions, [_inputName], [value], names);
        var shapes = outputs.Select(o => o.GetTensorTypeAndShape().Shape).ToArray();
        for (var i = 0; i < names.Length; i++)
        {
            if (shapes[i] is [1, var n, CoordinatesPerAnchor + 1] && n == _anchors.Count)
            {
                return (true, [names[i]], []);
            }
        }

        var scores = names.Where((_, i) => shapes[i] is [1, _, 1]).ToArray();
        var coordinates = names.Where((_, i) => shapes[i] is [1, _, CoordinatesPerAnchor]).ToArray();
        var scoreCount = shapes.Where(s => s is [1, _, 1]).Sum(s => s[1]);
        var coordinateCount = shapes.Where(s => s is [1, _, CoordinatesPerAnchor]).Sum(s => s[1]);
        if (scores.Length == 0 || scoreCount != _anchors.Count || coordinateCount != _anchors.Count)
        {
            throw new InvalidDataException($"'{ModelPath}' gives outputs [{string.Join("; ", shapes.Select(s => string.Join(", ", s)))}]; expected [1, {_anchors.Count}, 17] or score and coordinate outputs for {_anchors.Count} anchors.");
        }

        return (false, scores, coordinates);
    }

    private static void Validate(BlazeFaceDetectorOptions options)
    {
        if (options.ModelPath is not null && string.IsNullOrWhiteSpace(options.ModelPath))
        {
            throw new ArgumentException("ModelPath is empty; leave it null for the bundled model.", nameof(options));
        }

        if (options.ScoreThreshold is < 0 or > 1 || float.IsNaN(options.ScoreThreshold ?? 0) || !(options.IouThreshold is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "ScoreThreshold and IouThreshold must be between 0 and 1.");
        }

        if (options.TileSize is < 32 || !(options.TileOverlap is >= 0 and <= 0.9) || options.TileThreads < 1 || options.MaxScanSide < options.TileSize)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "TileSize must be at least 32 (or null), TileOverlap between 0 and 0.9, TileThreads at least 1, MaxScanSide at least TileSize (or null).");
        }

        if (!(options.PadFraction is >= 0 and <= 1) || !(options.PadMaxAspect >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "PadFraction must be between 0 and 1, PadMaxAspect at least 1.");
        }

        if (options.MinFaceSize < 1 || options.MaxFaces < 1 || options.IntraOpThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MinFaceSize and MaxFaces must be at least 1, IntraOpThreads at least 0.");
        }

        if (options.Framing is null || !(options.Framing.Scale > 0) || !double.IsFinite(options.Framing.ShiftY))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Framing needs a positive scale and a finite shift.");
        }
    }
}
