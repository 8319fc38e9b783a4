using System.Diagnostics;
using Face2Data.Core.Detection;
using Face2Data.Core.Imaging;
using Face2Data.Core.Schema;
using OpenCvSharp;

namespace Face2Data.Core.Inference;

/// <summary>
/// Finds the faces in an image and predicts every attribute of the model's schema for each. Thread-safe: one
/// instance serves many concurrent callers. Dispose it to free the ONNX Runtime session.
/// </summary>
public sealed class FaceAnalyzer : IDisposable
{
    /// <summary>Images at most this side, and near-square, are taken as a face crop in <see cref="DetectionMode.Auto"/> when no face is found.</summary>
    public const int CropLikeMaxSide = 512;

    private readonly OnnxFaceModel _model;
    private readonly IFaceDetector? _detector;
    private readonly ImageDecoder _decoder;

    private FaceAnalyzer(OnnxFaceModel model, IFaceDetector? detector, FaceAnalyzerOptions options)
    {
        _model = model;
        _detector = detector;
        Options = options;
        _decoder = new ImageDecoder(options.Decode);
    }

    /// <summary>The model's manifest: schema, preprocessing, metrics, provenance.</summary>
    public ModelManifest Model => _model.Manifest;

    /// <summary>The settings this analyzer uses.</summary>
    public FaceAnalyzerOptions Options { get; }

    /// <summary>
    /// The ONNX model the analyzer runs, for callers that probe it directly (such as the explainers of
    /// <c>Face2Data.Core.Explanation</c>). It belongs to the analyzer and is disposed with it.
    /// </summary>
    public OnnxFaceModel OnnxModel => _model;

    /// <summary>Loads an exported Face2Data ONNX model from a file.</summary>
    /// <param name="modelPath">Path of the <c>.onnx</c> file.</param>
    /// <param name="options">Limits and threads; defaults when null.</param>
    /// <param name="detector">Face detector; null treats every image as one face crop. The analyzer uses it but does not dispose it.</param>
    public static FaceAnalyzer Load(string modelPath, FaceAnalyzerOptions? options = null, IFaceDetector? detector = null)
    {
        options ??= FaceAnalyzerOptions.Default;
        return new FaceAnalyzer(OnnxFaceModel.Load(modelPath, ModelOptions(options)), detector, options);
    }

    /// <summary>Loads an exported Face2Data ONNX model from a stream.</summary>
    /// <param name="model">Stream holding the <c>.onnx</c> bytes.</param>
    /// <param name="options">Limits and threads; defaults when null.</param>
    /// <param name="detector">Face detector; null treats every image as one face crop. The analyzer uses it but does not dispose it.</param>
    public static FaceAnalyzer Load(Stream model, FaceAnalyzerOptions? options = null, IFaceDetector? detector = null)
    {
        options ??= FaceAnalyzerOptions.Default;
        return new FaceAnalyzer(OnnxFaceModel.Load(model, ModelOptions(options)), detector, options);
    }

    /// <summary>Loads the model bundled with Face2Data (see <see cref="BundledModel"/>).</summary>
    /// <param name="options">Limits and threads; defaults when null.</param>
    /// <param name="detector">Face detector; null treats every image as one face crop. The analyzer uses it but does not dispose it.</param>
    public static FaceAnalyzer LoadDefault(FaceAnalyzerOptions? options = null, IFaceDetector? detector = null) =>
        Load(BundledModel.RequirePath(), options, detector);

    /// <summary>Analyses encoded image bytes (JPEG, PNG, GIF, BMP, WebP, TIFF).</summary>
    /// <exception cref="ImageDecodeException">The bytes are not a usable image.</exception>
    public FaceAnalysis Analyze(ReadOnlySpan<byte> image)
    {
        var clock = Stopwatch.StartNew();
        using var bgr = _decoder.Decode(image);
        var decodeMs = clock.Elapsed.TotalMilliseconds;
        return Analyze(bgr, decodeMs);
    }

    /// <summary>
    /// Analyses encoded image bytes with this call's detection mode and face limit instead of those of
    /// <see cref="Options"/> (a server lets each request choose them).
    /// </summary>
    /// <exception cref="ImageDecodeException">The bytes are not a usable image.</exception>
    public FaceAnalysis Analyze(ReadOnlySpan<byte> image, DetectionMode detection, int maxFaces)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFaces, 1);
        var clock = Stopwatch.StartNew();
        using var bgr = _decoder.Decode(image);
        var decodeMs = clock.Elapsed.TotalMilliseconds;
        return Analyze(bgr, decodeMs, detection, maxFaces);
    }

    /// <summary>Analyses an image read from a stream (at most <see cref="ImageDecodeOptions.MaxBytes"/> bytes).</summary>
    /// <exception cref="ImageDecodeException">The stream is not a usable image or is too long.</exception>
    public async Task<FaceAnalysis> AnalyzeAsync(Stream image, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        using var bgr = await _decoder.DecodeAsync(image, cancellationToken).ConfigureAwait(false);
        var decodeMs = clock.Elapsed.TotalMilliseconds;
        cancellationToken.ThrowIfCancellationRequested();
        return Analyze(bgr, decodeMs);
    }

    /// <summary>Analyses an image read from a stream (at most <see cref="ImageDecodeOptions.MaxBytes"/> bytes).</summary>
    public FaceAnalysis Analyze(Stream image)
    {
        var clock = Stopwatch.StartNew();
        using var bgr = _decoder.Decode(image);
        return Analyze(bgr, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>Analyses an 8-bit BGR (or grayscale/BGRA) image already in memory. The caller keeps ownership of it.</summary>
    public FaceAnalysis Analyze(Mat image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty() || image.Depth() != MatType.CV_8U)
        {
            throw new ArgumentException("Expected a non-empty 8-bit image.", nameof(image));
        }

        if (image.Channels() == 3)
        {
            return Analyze(image, 0);
        }

        using var bgr = new Mat();
        Cv2.CvtColor(image, bgr, image.Channels() == 1 ? ColorConversionCodes.GRAY2BGR : ColorConversionCodes.BGRA2BGR);
        return Analyze(bgr, 0);
    }

    /// <summary>Analyses several encoded images; one that fails to decode yields its error instead of a result.</summary>
    public IReadOnlyList<BatchItem> AnalyzeBatch(IEnumerable<byte[]> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var results = new List<BatchItem>();
        foreach (var image in images)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                results.Add(new BatchItem(Analyze(image), null));
            }
            catch (ImageDecodeException error)
            {
                results.Add(new BatchItem(null, error));
            }
        }

        return results;
    }

    /// <summary>
    /// Finds the faces of an 8-bit image (grey, BGR or BGRA) and cuts each one exactly as the analysis does before
    /// running the model: the same detection, order (largest first), limit, crop geometry and resizing. The caller
    /// keeps ownership of <paramref name="image"/> and disposes every returned face.
    /// </summary>
    /// <param name="image">The upright image.</param>
    /// <param name="detection">Whether faces are detected first.</param>
    /// <param name="maxFaces">Most faces returned, the largest ones.</param>
    public IReadOnlyList<FaceInput> FindFaces(Mat image, DetectionMode detection, int maxFaces)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFaces, 1);
        if (image.Empty() || image.Depth() != MatType.CV_8U || image.Channels() is not (1 or 3 or 4))
        {
            throw new ArgumentException("Expected a non-empty 8-bit image with 1, 3 or 4 channels.", nameof(image));
        }

        using var converted = image.Channels() == 3 ? null : new Mat();
        if (converted is not null)
        {
            Cv2.CvtColor(image, converted, image.Channels() == 1 ? ColorConversionCodes.GRAY2BGR : ColorConversionCodes.BGRA2BGR);
        }

        var bgr = converted ?? image;
        var inputs = new List<FaceInput>();
        try
        {
            foreach (var (box, score) in LocateFaces(bgr, detection, maxFaces))
            {
                var crop = score is null ? bgr.Clone() : FaceCrop.Extract(bgr, box, _model.Manifest.Crop);
                try
                {
                    inputs.Add(new FaceInput(box, score, crop, _model.Manifest.Preprocessing.ToRgbPixels(crop)));
                }
                catch
                {
                    crop.Dispose();
                    throw;
                }
            }

            return inputs;
        }
        catch
        {
            inputs.ForEach(i => i.Dispose());
            throw;
        }
    }

    /// <summary>Runs the model on one face found by <see cref="FindFaces"/> and gives the same result the analysis gives.</summary>
    public FaceResult Predict(FaceInput face)
    {
        ArgumentNullException.ThrowIfNull(face);
        var preprocessing = _model.Manifest.Preprocessing;
        if (face.Pixels.Length != preprocessing.PixelLength)
        {
            throw new ArgumentException($"The face's pixels are not this model's {preprocessing.Size}×{preprocessing.Size} input.", nameof(face));
        }

        var input = new float[preprocessing.TensorLength];
        preprocessing.Normalize(face.Pixels, input);
        return ToResult(_model.Predict(input, 1), 0, face.Box, face.DetectionScore);
    }

    /// <inheritdoc />
    public void Dispose() => _model.Dispose();

    private static OnnxFaceModelOptions ModelOptions(FaceAnalyzerOptions options) => new() { IntraOpThreads = options.IntraOpThreads };

    private FaceAnalysis Analyze(Mat bgr, double decodeMs) => Analyze(bgr, decodeMs, Options.Detection, Options.MaxFaces);

    private FaceAnalysis Analyze(Mat bgr, double decodeMs, DetectionMode detection, int maxFaces)
    {
        var clock = Stopwatch.StartNew();
        var faces = LocateFaces(bgr, detection, maxFaces);
        var detectMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var results = Predict(bgr, faces);
        return new FaceAnalysis(bgr.Width, bgr.Height, results, new AnalysisTimings(decodeMs, detectMs, clock.Elapsed.TotalMilliseconds));
    }

    private List<(FaceBox Box, float? Score)> LocateFaces(Mat bgr, DetectionMode detection, int maxFaces)
    {
        var whole = new List<(FaceBox, float?)> { (new FaceBox(0, 0, bgr.Width, bgr.Height), null) };
        if (_detector is null || detection == DetectionMode.Never)
        {
            return whole;
        }

        var found = _detector.Detect(bgr)
            .OrderByDescending(f => f.Box.Area)
            .Take(maxFaces)
            .Select(f => (f.Box, (float?)f.Score))
            .ToList();
        if (found.Count == 0 && detection == DetectionMode.Auto && LooksLikeACrop(bgr))
        {
            return whole;
        }

        return found;
    }

    private static bool LooksLikeACrop(Mat image)
    {
        var longSide = Math.Max(image.Width, image.Height);
        var shortSide = Math.Min(image.Width, image.Height);
        return longSide <= CropLikeMaxSide && shortSide * 5 >= longSide * 4;
    }

    private List<FaceResult> Predict(Mat bgr, List<(FaceBox Box, float? Score)> faces)
    {
        if (faces.Count == 0)
        {
            return [];
        }

        var preprocessing = _model.Manifest.Preprocessing;
        var input = new float[faces.Count * preprocessing.TensorLength];
        var pixels = new byte[preprocessing.PixelLength];
        for (var i = 0; i < faces.Count; i++)
        {
            var (box, score) = faces[i];
            if (score is null)
            {
                preprocessing.WriteRgbPixels(bgr, pixels);
            }
            else
            {
                using var crop = FaceCrop.Extract(bgr, box, _model.Manifest.Crop);
                preprocessing.WriteRgbPixels(crop, pixels);
            }

            preprocessing.Normalize(pixels, input.AsSpan(i * preprocessing.TensorLength, preprocessing.TensorLength));
        }

        var outputs = _model.Predict(input, faces.Count);
        var results = new List<FaceResult>(faces.Count);
        for (var i = 0; i < faces.Count; i++)
        {
            results.Add(ToResult(outputs, i, faces[i].Box, faces[i].Score));
        }

        return results;
    }

    private FaceResult ToResult(HeadOutputs outputs, int sample, FaceBox box, float? score)
    {
        var attributes = new Dictionary<string, AttributePrediction>(StringComparer.Ordinal);
        foreach (var head in _model.Schema.Heads)
        {
            attributes[head.Name] = ToPrediction(head, outputs.Row(head.Name, sample));
        }

        return new FaceResult(box, score is not null, score, attributes);
    }

    private AttributePrediction ToPrediction(AttributeHead head, ReadOnlySpan<float> row)
    {
        if (head.Kind == HeadKind.Regression)
        {
            var value = Math.Clamp(row[0], head.Min, head.Max);
            var spread = _model.Manifest.Metrics.TryGetValue($"{head.Name}.mae", out var mae) ? (float)mae : 0.05f * (head.Max - head.Min);
            return new AttributePrediction
            {
                Head = head.Name,
                Kind = head.Kind,
                Value = value,
                Range = new ValueRange(Math.Max(head.Min, value - spread), Math.Min(head.Max, value + spread)),
                Unit = head.Unit.Length > 0 ? head.Unit : null,
            };
        }

        var best = 0;
        var probabilities = new Dictionary<string, float>(StringComparer.Ordinal);
        for (var c = 0; c < head.Classes.Count; c++)
        {
            probabilities[head.Classes[c]] = row[c];
            best = row[c] > row[best] ? c : best;
        }

        return new AttributePrediction
        {
            Head = head.Name,
            Kind = head.Kind,
            Label = head.Classes[best],
            Confidence = row[best],
            Probabilities = probabilities,
        };
    }
}

/// <summary>One image's outcome in <see cref="FaceAnalyzer.AnalyzeBatch"/>: a result or the error that stopped it.</summary>
/// <param name="Analysis">The analysis, when the image could be read.</param>
/// <param name="Error">Why the image could not be read, otherwise.</param>
public sealed record BatchItem(FaceAnalysis? Analysis, ImageDecodeException? Error);
