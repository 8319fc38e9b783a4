using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace Face2Data.Detection;

/// <summary>
/// Finds faces with face-api.js's Tiny Face Detector, a small Tiny-YOLOv2 CNN (MIT, about 190 K weights) trained on
/// real photos, run by ONNX Runtime: the file is made once with <c>face2data detector convert</c> from the weights
/// npm publishes, and one is bundled. Several times faster than <see cref="HaarFaceDetector"/> on photos; on the
/// synthetic scenes of docs/performance.md (section 8) it finds fewer of the faces, most of all the small ones.
/// </summary>
/// <remarks>
/// The image (with a border when it looks like a tight crop) is scaled so its longer side is at most
/// <see cref="TinyFaceDetectorOptions.InputSize"/> (a crop is tried at <see cref="TinyFaceDetectorOptions.CropInputSize"/>
/// first), filled out with black to multiples of 32 and run once; every 32-pixel cell predicts five boxes around fixed
/// anchor shapes (YOLOv2's decoding), and boxes overlapping a better one are dropped. Thread-safe: ONNX Runtime
/// sessions may run on several threads at once. Dispose to free it.
/// </remarks>
public sealed class TinyFaceDetector : IFaceDetector
{
    /// <summary>Name of the ONNX graph's input: RGB pixels (0 to 255) as float [N, 3, H, W], H and W multiples of 32.</summary>
    public const string InputName = "image";

    /// <summary>Name of the ONNX graph's output: [N, anchors × 5, H / 32, W / 32].</summary>
    public const string OutputName = "grid";

    /// <summary>Values per anchor and cell: x, y, width, height, score (before their sigmoid or exponential).</summary>
    public const int FieldsPerAnchor = 5;

    /// <summary>Pixels of the network's input per output cell.</summary>
    public const int CellSize = 32;

    /// <summary>Largest input size accepted: a 4096-pixel square already takes 200 MB of input floats.</summary>
    public const int MaxInputSize = 4096;

    /// <summary>The anchor shapes (width, height) in cells, from face-api.js's tinyFaceDetector/const.ts.</summary>
    public static IReadOnlyList<(double Width, double Height)> Anchors { get; } =
    [
        (1.603231, 2.094468),
        (6.041143, 7.080126),
        (2.882459, 3.518061),
        (4.266906, 5.178857),
        (9.041765, 10.66308),
    ];

    private readonly TinyFaceDetectorOptions _options;
    private readonly OnnxNetwork _network;

    /// <summary>Loads the network and checks the settings.</summary>
    /// <exception cref="FileNotFoundException">No file at <see cref="TinyFaceDetectorOptions.ModelPath"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a converted Tiny Face Detector.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public TinyFaceDetector(TinyFaceDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = options;
        ModelPath = Path.GetFullPath(options.ModelPath ?? TinyFaceDetectorOptions.BundledPath);
        // Input sizes vary with every image, and ONNX Runtime's memory pattern plans a buffer layout per shape: over 8,000
        // detections of random sizes the process grew to 234 MB with it and to 190 MB without, at the same speed. The
        // arena stays: without it a server grew to 580 MB (malloc's per-thread pools) where it stays under 300 with it.
        _network = OnnxNetwork.Open(
            ModelPath,
            new SessionOptions { IntraOpNumThreads = options.IntraOpThreads, EnableMemoryPattern = false },
            $"No Tiny Face Detector model at '{ModelPath}'. Make it with 'face2data detector convert' (see models/README.md), or use the Haar detector.",
            "a Tiny Face Detector",
            [InputName],
            [OutputName]);
    }

    /// <summary>The model file in use.</summary>
    public string ModelPath { get; }

    /// <summary>The settings in use.</summary>
    public TinyFaceDetectorOptions Options => _options;

    /// <inheritdoc />
    public int? ScanSide => _options.InputSize;

    /// <summary>
    /// Faces in an 8-bit image (BGR, gray or BGRA), largest first, at most <see cref="TinyFaceDetectorOptions.MaxFaces"/>,
    /// in the image's pixels and clamped to it; the score is the network's (0 to 1).
    /// </summary>
    public IReadOnlyList<DetectedFace> Detect(Mat bgr)
    {
        DetectionFrame.RequireImage(bgr);

        var pad = DetectionFrame.BorderFraction(bgr.Width, bgr.Height, _options.PadFraction, _options.PadMaxAspect);
        if (_options.CropInputSize is { } cropSize && FaceCrop.LooksLikeACrop(bgr.Width, bgr.Height))
        {
            var small = Scan(bgr, cropSize, pad);
            if (small.Count > 0)
            {
                return small;
            }
        }

        return Scan(bgr, _options.InputSize, pad);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _network.Dispose();
    }

    /// <summary>
    /// The boxes one output grid predicts above <paramref name="scoreThreshold"/>, in pixels of the network's input:
    /// YOLOv2's decoding (centre = (cell + sigmoid) × 32, side = exp × anchor × 32, score = sigmoid).
    /// </summary>
    /// <param name="grid">The output for one image, [anchors × 5, rows, columns] in row-major order.</param>
    /// <param name="rows">Cells down.</param>
    /// <param name="columns">Cells across.</param>
    /// <param name="scoreThreshold">Lowest score kept.</param>
    public static List<ScoredBox> Decode(ReadOnlySpan<float> grid, int rows, int columns, float scoreThreshold)
    {
        var plane = rows * columns;
        if (grid.Length != Anchors.Count * FieldsPerAnchor * plane)
        {
            throw new ArgumentException($"Expected {Anchors.Count * FieldsPerAnchor * plane} values for {rows}×{columns} cells, got {grid.Length}.", nameof(grid));
        }

        var boxes = new List<ScoredBox>();
        for (var anchor = 0; anchor < Anchors.Count; anchor++)
        {
            var fields = grid.Slice(anchor * FieldsPerAnchor * plane, FieldsPerAnchor * plane);
            for (var row = 0; row < rows; row++)
            {
                for (var column = 0; column < columns; column++)
                {
                    var cell = (row * columns) + column;
                    var score = Sigmoid(fields[(4 * plane) + cell]);
                    if (score < scoreThreshold)
                    {
                        continue;
                    }

                    var centreX = (column + Sigmoid(fields[cell])) * CellSize;
                    var centreY = (row + Sigmoid(fields[plane + cell])) * CellSize;
                    var width = Math.Exp(fields[(2 * plane) + cell]) * Anchors[anchor].Width * CellSize;
                    var height = Math.Exp(fields[(3 * plane) + cell]) * Anchors[anchor].Height * CellSize;
                    boxes.Add(new ScoredBox((float)(centreX - (width / 2)), (float)(centreY - (height / 2)), (float)width, (float)height, (float)score));
                }
            }
        }

        return boxes;
    }

    /// <summary>Greedy non-maximum suppression: best first, dropping boxes whose IoU with a kept one exceeds <paramref name="iouThreshold"/>.</summary>
    public static List<ScoredBox> Suppress(IEnumerable<ScoredBox> boxes, float iouThreshold) =>
        NonMaxSuppression.Suppress(boxes, iouThreshold);

    // One run with the image (and its border) scaled so its longer side is at most inputSize.
    private List<DetectedFace> Scan(Mat bgr, int inputSize, double pad)
    {
        var scale = Math.Min(1.0, DetectionFrame.FitScale(bgr.Width, bgr.Height, pad, inputSize));
        var framed = DetectionFrame.FramedSize(bgr.Width, bgr.Height, scale, pad);
        var canvas = new Size(RoundUp(framed.Width), RoundUp(framed.Height));
        using var frame = DetectionFrame.Create(bgr, scale, pad, grayscale: false, canvas);

        var faces = new List<DetectedFace>();
        foreach (var (x, y, width, height, score) in Suppress(Run(frame.Image), _options.IouThreshold))
        {
            var side = Math.Max(width, height) * _options.Framing.Scale;
            var centreX = x + (width / 2.0);
            var centreY = y + (height / 2.0) + (_options.Framing.ShiftY * side);
            var box = frame.ToSource(centreX - (side / 2), centreY - (side / 2), side, side);
            if (box is { } b && Math.Max(b.Width, b.Height) >= _options.MinFaceSize)
            {
                faces.Add(new DetectedFace(b, score));
            }
        }

        return faces.OrderByDescending(f => f.Score).Take(_options.MaxFaces).OrderByDescending(f => f.Box.Area).ToList();
    }

    private List<ScoredBox> Run(Mat image)
    {
        var (width, height) = (image.Width, image.Height);
        var plane = width * height;
        var input = ArrayPool<float>.Shared.Rent(3 * plane);
        try
        {
            NetworkInput.WritePlanarRgb(image, input.AsSpan(0, 3 * plane));
            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, 3 * plane), [1, 3, height, width]);
            using var runOptions = new RunOptions();
            using var outputs = _network.Session.Run(runOptions, [InputName], [value], [OutputName]);
            var shape = outputs[0].GetTensorTypeAndShape().Shape;
            if (shape is not [1, _, var rows, var columns] || shape[1] != Anchors.Count * FieldsPerAnchor)
            {
                throw new InvalidDataException($"'{ModelPath}' gives an output of shape [{string.Join(", ", shape)}]; expected [1, {Anchors.Count * FieldsPerAnchor}, rows, columns].");
            }

            return Decode(outputs[0].GetTensorDataAsSpan<float>(), (int)rows, (int)columns, _options.ScoreThreshold);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input);
        }
    }

    private static double Sigmoid(float value) => 1 / (1 + Math.Exp(-value));

    private static int RoundUp(int pixels) => (pixels + CellSize - 1) / CellSize * CellSize;

    private static void Validate(TinyFaceDetectorOptions options)
    {
        if (options.ModelPath is not null && string.IsNullOrWhiteSpace(options.ModelPath))
        {
            throw new ArgumentException("ModelPath is empty; leave it null for the bundled model.", nameof(options));
        }

        if (!(options.ScoreThreshold is >= 0 and <= 1) || !(options.IouThreshold is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "ScoreThreshold and IouThreshold must be between 0 and 1.");
        }

        if (options.InputSize is < CellSize or > MaxInputSize || options.InputSize % CellSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.InputSize, $"InputSize must be a positive multiple of 32, at most {MaxInputSize}.");
        }

        if (options.CropInputSize is { } cropSize && (cropSize is < CellSize or > MaxInputSize || cropSize % CellSize != 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), cropSize, $"CropInputSize must be a positive multiple of 32, at most {MaxInputSize}, or null.");
        }

        if (options.MinFaceSize < 1 || options.MaxFaces < 1 || options.IntraOpThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MinFaceSize and MaxFaces must be at least 1, IntraOpThreads at least 0.");
        }

        if (options.Framing is null || !(options.Framing.Scale > 0) || !double.IsFinite(options.Framing.ShiftY))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Framing needs a positive scale and a finite shift.");
        }

        if (!(options.PadFraction is >= 0 and <= 1) || !(options.PadMaxAspect >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "PadFraction must be between 0 and 1, PadMaxAspect at least 1.");
        }
    }
}
