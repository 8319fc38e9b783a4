using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace Face2Data.Detection;

/// <summary>
/// Locates a face's landmarks with face-api.js's 68-point face landmark network (MIT, about 350 K weights, iBUG
/// 300-W's 68 points), run by ONNX Runtime on a 112×112 square cut around the detector's box: the file is made
/// once with <c>face2data detector convert-landmarks</c> from the weights npm publishes, and one is bundled.
/// </summary>
/// <remarks>
/// The five points of <see cref="Locate"/> come from the 68 (0-based iBUG indices): the eyes are the means of
/// points 36–41 and 42–47, the nose tip is point 30, the mouth corners are points 48 and 54. iBUG numbers a
/// frontal face's points from the image's left, so 36–41 and 48 lie on the image's left (the person's right).
/// Thread-safe: ONNX Runtime sessions may run on several threads at once. Dispose to free it.
/// </remarks>
public sealed class FaceLandmark68Landmarker : IFaceLandmarker
{
    /// <summary>Name of the ONNX graph's input: RGB pixels (0 to 255) as float [N, 3, 112, 112].</summary>
    public const string InputName = "image";

    /// <summary>Name of the ONNX graph's output: [N, 136], (x, y) of the 68 points as fractions of the input square.</summary>
    public const string OutputName = "landmarks";

    /// <summary>Side of the network's square input, in pixels.</summary>
    public const int InputSize = 112;

    /// <summary>Points the network locates.</summary>
    public const int PointCount = 68;

    private const int Plane = InputSize * InputSize;

    private readonly OnnxNetwork _network;

    /// <summary>Loads the network and checks the settings.</summary>
    /// <exception cref="FileNotFoundException">No file at <see cref="FaceLandmark68LandmarkerOptions.ModelPath"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a converted 68-point landmark network.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public FaceLandmark68Landmarker(FaceLandmark68LandmarkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        Options = options;
        ModelPath = Path.GetFullPath(options.ModelPath ?? FaceLandmark68LandmarkerOptions.BundledPath);
        _network = OnnxNetwork.Open(
            ModelPath,
            new SessionOptions { IntraOpNumThreads = options.IntraOpThreads },
            $"No 68-point landmark model at '{ModelPath}'. Make it with 'face2data detector convert-landmarks' (see models/README.md).",
            "a 68-point landmark network",
            [InputName],
            [OutputName]);
    }

    /// <summary>The model file in use.</summary>
    public string ModelPath { get; }

    /// <summary>The settings in use.</summary>
    public FaceLandmark68LandmarkerOptions Options { get; }

    /// <inheritdoc />
    public FaceLandmarks Locate(Mat bgr, FaceBox box) => ToFivePoints(Locate68(bgr, box));

    /// <summary>
    /// The 68 points (iBUG 300-W order, 0-based) of the face in <paramref name="box"/>, in the pixels of the 8-bit
    /// image <paramref name="bgr"/> (BGR; gray and BGRA are taken too). Points may lie outside the image when the face does.
    /// </summary>
    /// <exception cref="ArgumentException">The image is empty or not 8-bit BGR, gray or BGRA, or the box is empty or outside the image.</exception>
    public IReadOnlyList<FacePoint> Locate68(Mat bgr, FaceBox box)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        var type = bgr.Type();
        if (bgr.Empty() || (type != MatType.CV_8UC3 && type != MatType.CV_8UC1 && type != MatType.CV_8UC4))
        {
            throw new ArgumentException("Expected a non-empty 8-bit image (BGR, gray or BGRA).", nameof(bgr));
        }

        if (box.Width <= 0 || box.Height <= 0)
        {
            throw new ArgumentException($"The box {box} is empty.", nameof(box));
        }

        var region = FaceCrop.Region(box, Options.Framing);
        using var crop = FaceCrop.Extract(bgr, box, Options.Framing);
        if (type != MatType.CV_8UC3)
        {
            Cv2.CvtColor(crop, crop, type == MatType.CV_8UC1 ? ColorConversionCodes.GRAY2BGR : ColorConversionCodes.BGRA2BGR);
        }

        using var input = new Mat();
        Cv2.Resize(crop, input, new Size(InputSize, InputSize), interpolation: crop.Width > InputSize ? InterpolationFlags.Area : InterpolationFlags.Linear);

        // 150 KB of floats per call: rented, so that every face does not allocate on the large-object heap.
        var pixels = ArrayPool<float>.Shared.Rent(3 * Plane);
        try
        {
            WritePixels(input, pixels.AsSpan(0, 3 * Plane));
            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, pixels.AsMemory(0, 3 * Plane), [1, 3, InputSize, InputSize]);
            using var runOptions = new RunOptions();
            using var outputs = _network.Session.Run(runOptions, [InputName], [value], [OutputName]);
            var shape = outputs[0].GetTensorTypeAndShape().Shape;
            if (shape is not [1, 2 * PointCount])
            {
                throw new InvalidDataException($"'{ModelPath}' gives an output of shape [{string.Join(", ", shape)}]; expected [1, {2 * PointCount}].");
            }

            var fractions = outputs[0].GetTensorDataAsSpan<float>();
            var points = new FacePoint[PointCount];
            for (var i = 0; i < PointCount; i++)
            {
                points[i] = new FacePoint(region.X + (fractions[2 * i] * region.Width), region.Y + (fractions[(2 * i) + 1] * region.Height));
            }

            return points;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(pixels);
        }
    }

    /// <summary>
    /// The five points from the 68: eye centres = means of points 36–41 (image left) and 42–47 (image right), nose
    /// tip = 30, mouth corners = 48 (image left) and 54 (image right).
    /// </summary>
    /// <exception cref="ArgumentException">Not 68 points.</exception>
    public static FaceLandmarks ToFivePoints(IReadOnlyList<FacePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count != PointCount)
        {
            throw new ArgumentException($"Expected {PointCount} points, got {points.Count}.", nameof(points));
        }

        return new FaceLandmarks(Mean(points, 36, 6), Mean(points, 42, 6), points[30], points[48], points[54]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _network.Dispose();
    }

    private static FacePoint Mean(IReadOnlyList<FacePoint> points, int first, int count)
    {
        var (x, y) = (0.0, 0.0);
        for (var i = first; i < first + count; i++)
        {
            x += points[i].X;
            y += points[i].Y;
        }

        return new FacePoint((float)(x / count), (float)(y / count));
    }

    // BGR bytes → planar RGB floats (0 to 255); the graph subtracts the mean and scales.
    private static void WritePixels(Mat bgr, Span<float> chw)
    {
        var red = chw[..Plane];
        var green = chw.Slice(Plane, Plane);
        var blue = chw.Slice(2 * Plane, Plane);
        for (var y = 0; y < InputSize; y++)
        {
            ReadOnlySpan<byte> row;
            unsafe
            {
                row = new ReadOnlySpan<byte>((byte*)bgr.Ptr(y), InputSize * 3);
            }

            var offset = y * InputSize;
            for (var x = 0; x < InputSize; x++)
            {
                blue[offset + x] = row[3 * x];
                green[offset + x] = row[(3 * x) + 1];
                red[offset + x] = row[(3 * x) + 2];
            }
        }
    }

    private static void Validate(FaceLandmark68LandmarkerOptions options)
    {
        if (options.ModelPath is not null && string.IsNullOrWhiteSpace(options.ModelPath))
        {
            throw new ArgumentException("ModelPath is empty; leave it null for the bundled model.", nameof(options));
        }

        if (options.Framing is null || !(options.Framing.Scale > 0) || !double.IsFinite(options.Framing.Scale) || !double.IsFinite(options.Framing.ShiftY))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Framing needs a positive scale and a finite shift.");
        }

        if (options.IntraOpThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.IntraOpThreads, "IntraOpThreads must be at least 0.");
        }
    }
}
