using OpenCvSharp;

namespace Face2Data.Detection;

/// <summary>
/// Finds faces with YuNet, the small CNN detector behind OpenCV's <c>FaceDetectorYN</c>: more accurate than a Haar
/// cascade on turned, tilted and small faces. Face2Data does not ship its weights; the user supplies the ONNX file.
/// </summary>
/// <remarks>
/// OpenCvSharp exposes <c>FaceDetectorYN</c>'s <c>Create</c> and <c>Detect</c> but not <c>SetInputSize</c>, so the
/// network is created for a fixed square (<see cref="YuNetFaceDetectorOptions.InputSize"/>) and every image is
/// scaled to fit it, bordered, and filled out with black. Thread-safe: each concurrent call borrows its own network
/// from a small pool, since an OpenCV <c>dnn::Net</c> must not run on two threads at once. Dispose to free them.
/// </remarks>
public sealed class YuNetFaceDetector : IFaceDetector
{
    private const int ScoreColumn = 14;

    private readonly YuNetFaceDetectorOptions _options;
    private readonly DetectorPool<FaceDetectorYN> _networks;

    /// <summary>Loads the network and checks the settings.</summary>
    /// <exception cref="FileNotFoundException">No file at <see cref="YuNetFaceDetectorOptions.ModelPath"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a YuNet model OpenCV can run.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public YuNetFaceDetector(YuNetFaceDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = options;
        ModelPath = Path.GetFullPath(options.ModelPath);
        if (!File.Exists(ModelPath))
        {
            throw new FileNotFoundException(
                $"No YuNet model at '{ModelPath}'. Download face_detection_yunet_2023mar.onnx from the OpenCV model zoo (github.com/opencv/opencv_zoo, models/face_detection_yunet), or use the Haar detector.",
                ModelPath);
        }

        _networks = new DetectorPool<FaceDetectorYN>(Load);
    }

    /// <summary>The model file in use.</summary>
    public string ModelPath { get; }

    /// <summary>The settings in use.</summary>
    public YuNetFaceDetectorOptions Options => _options;

    /// <summary>
    /// Faces in an 8-bit image (BGR, gray or BGRA), largest first, at most <see cref="YuNetFaceDetectorOptions.MaxFaces"/>,
    /// in the image's pixels and clamped to it; the score is YuNet's (0 to 1).
    /// </summary>
    public IReadOnlyList<DetectedFace> Detect(Mat bgr)
    {
        DetectionFrame.RequireImage(bgr);

        var scale = DetectionFrame.FitScale(bgr.Width, bgr.Height, _options.PadFraction, _options.InputSize);
        using var frame = DetectionFrame.Create(bgr, scale, _options.PadFraction, grayscale: false, canvas: new Size(_options.InputSize, _options.InputSize));
        using var found = new Mat();
        _networks.Use(network => network.Detect(frame.Image, found));
        var faces = new List<DetectedFace>(found.Rows);
        if (!found.Empty() && found.Cols > ScoreColumn && found.Type() == MatType.CV_32FC1)
        {
            var rows = found.Rows;
            for (var row = 0; row < rows; row++)
            {
                var box = frame.ToSource(found.At<float>(row, 0), found.At<float>(row, 1), found.At<float>(row, 2), found.At<float>(row, 3));
                if (box is { } b && Math.Max(b.Width, b.Height) >= _options.MinFaceSize)
                {
                    faces.Add(new DetectedFace(b, found.At<float>(row, ScoreColumn)));
                }
            }
        }

        return faces.OrderByDescending(f => f.Score).Take(_options.MaxFaces).OrderByDescending(f => f.Box.Area).ToList();
    }

    /// <inheritdoc />
    public void Dispose() => _networks.Dispose();

    private FaceDetectorYN Load()
    {
        try
        {
            return FaceDetectorYN.Create(
                ModelPath, "", new Size(_options.InputSize, _options.InputSize), _options.ScoreThreshold, _options.NmsThreshold, _options.TopK);
        }
        catch (OpenCVException error)
        {
            throw new InvalidDataException($"'{ModelPath}' is not a YuNet face detection model OpenCV can load: {error.Message}", error);
        }
    }

    private static void Validate(YuNetFaceDetectorOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ModelPath, nameof(options));
        if (!(options.ScoreThreshold is >= 0 and <= 1) || !(options.NmsThreshold is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "ScoreThreshold and NmsThreshold must be between 0 and 1.");
        }

        if (options.InputSize < 32 || options.InputSize % 32 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.InputSize, "InputSize must be a positive multiple of 32.");
        }

        if (options.TopK < 1 || options.MinFaceSize < 1 || options.MaxFaces < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "TopK, MinFaceSize and MaxFaces must be at least 1.");
        }

        if (!(options.PadFraction is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PadFraction, "PadFraction must be between 0 and 1.");
        }
    }
}
