using Face2Data.Detection;
using Face2Data.Imaging;
using Face2Data.Schema;
using OpenCvSharp;

namespace Face2Data.Inference;

/// <summary>
/// Finds the faces in an image and predicts every attribute of the model's schema for each. Thread-safe: one
/// instance serves many concurrent callers. Dispose it to free the ONNX Runtime session.
/// </summary>
public sealed class FaceAnalyzer : IDisposable
{
    private readonly OnnxFaceModel _model;
    private readonly IFaceDetector? _detector;
    private readonly IFaceLandmarker? _landmarker;
    private readonly FacePipeline _pipeline;
    private readonly InferenceBatcher? _batcher;

    private FaceAnalyzer(OnnxFaceModel model, IFaceDetector? detector, IFaceLandmarker? landmarker, FaceAnalyzerOptions options)
    {
        _model = model;
        _detector = detector;
        _landmarker = landmarker;
        Options = options;
        if (options.ReducedDecodeSide is < 1)
        {
            model.Dispose();
            throw new ArgumentOutOfRangeException(nameof(options), options.ReducedDecodeSide, "ReducedDecodeSide must be positive.");
        }

        _pipeline = new FacePipeline(model.Manifest, new ImageDecoder(options.Decode), detector, options.ReducedDecodeSide, landmarker, options.Alignment);
        _batcher = options.Batching is null ? null : new InferenceBatcher(model, options.Batching);
    }

    /// <summary>The model's manifest: schema, preprocessing, metrics, provenance.</summary>
    public ModelManifest Model => _model.Manifest;

    /// <summary>The settings this analyzer uses.</summary>
    public FaceAnalyzerOptions Options { get; }

    /// <summary>
    /// The ONNX model the analyzer runs, for callers that probe it directly (such as the explainers of
    /// <c>Face2Data.Explanation</c>). It belongs to the analyzer and is disposed with it.
    /// </summary>
    public OnnxFaceModel OnnxModel => _model;

    /// <summary>Loads an exported Face2Data ONNX model from a file.</summary>
    /// <param name="modelPath">Path of the <c>.onnx</c> file.</param>
    /// <param name="options">Limits and threads; defaults when null.</param>
    /// <param name="detector">Face detector; null treats every image as one face crop. The analyzer uses it but does not dispose it.</param>
    /// <param name="landmarker">Locates the landmarks of faces the detector gives none for; null leaves them without. Used, not disposed.</param>
    public static FaceAnalyzer Load(string modelPath, FaceAnalyzerOptions? options = null, IFaceDetector? detector = null, IFaceLandmarker? landmarker = null)
    {
        options ??= FaceAnalyzerOptions.Default;
        return new FaceAnalyzer(OnnxFaceModel.Load(modelPath, ModelOptions(options)), detector, landmarker, options);
    }

    /// <summary>Loads an exported Face2Data ONNX model from a stream.</summary>
    /// <param name="model">Stream holding the <c>.onnx</c> bytes.</param>
    /// <param name="options">Limits and threads; defaults when null.</param>
    /// <param name="detector">Face detector; null treats every image as one face crop. The analyzer uses it but does not dispose it.</param>
    /// <param name="landmarker">Locates the landmarks of faces the detector gives none for; null leaves them without. Used, not disposed.</param>
    public static FaceAnalyzer Load(Stream model, FaceAnalyzerOptions? options = null, IFaceDetector? detector = null, IFaceLandmarker? landmarker = null)
    {
        options ??= FaceAnalyzerOptions.Default;
        return new FaceAnalyzer(OnnxFaceModel.Load(model, ModelOptions(options)), detector, landmarker, options);
    }

    /// <summary>Loads the model bundled with Face2Data (see <see cref="BundledModel"/>).</summary>
    /// <param name="options">Limits and threads; defaults when null.</param>
    /// <param name="detector">Face detector; null treats every image as one face crop. The analyzer uses it but does not dispose it.</param>
    /// <param name="landmarker">Locates the landmarks of faces the detector gives none for; null leaves them without. Used, not disposed.</param>
    public static FaceAnalyzer LoadDefault(FaceAnalyzerOptions? options = null, IFaceDetector? detector = null, IFaceLandmarker? landmarker = null) =>
        Load(BundledModel.RequirePath(), options, detector, landmarker);

    /// <summary>The analyzer's own settings (<see cref="Options"/>) as a request: what a call without one gets.</summary>
    public FaceAnalysisRequest DefaultRequest => new() { Detection = Options.Detection, MaxFaces = Options.MaxFaces };

    /// <summary>Analyses encoded image bytes (JPEG, PNG, GIF, BMP, WebP, TIFF).</summary>
    /// <param name="image">The encoded image.</param>
    /// <param name="request">This call's settings; null for <see cref="DefaultRequest"/>.</param>
    /// <exception cref="ImageDecodeException">The bytes are not a usable image.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The request's face limit is below 1.</exception>
    public FaceAnalysis Analyze(ReadOnlySpan<byte> image, FaceAnalysisRequest? request = null)
    {
        var (detection, maxFaces, detector) = Resolve(request);
        return Analyze(image, detection, maxFaces, detector);
    }

    /// <summary>
    /// Analyses encoded image bytes like <see cref="Analyze(ReadOnlySpan{byte}, FaceAnalysisRequest)"/>: decoding and
    /// detection run on the calling thread, then, when <see cref="FaceAnalyzerOptions.Batching"/> is set, the faces
    /// join other concurrent calls' in one model run.
    /// </summary>
    /// <param name="image">The encoded image.</param>
    /// <param name="request">This call's settings; null for <see cref="DefaultRequest"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for the model run.</param>
    /// <exception cref="ImageDecodeException">The bytes are not a usable image.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The request's face limit is below 1.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<FaceAnalysis> AnalyzeAsync(ReadOnlyMemory<byte> image, FaceAnalysisRequest? request = null, CancellationToken cancellationToken = default)
    {
        var (detection, maxFaces, detector) = Resolve(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (_batcher is null)
        {
            return Analyze(image.Span, detection, maxFaces, detector);
        }

        PreparedFaces faces;
        using (_batcher.Expect())
        {
            faces = _pipeline.Prepare(image.Span, detection, maxFaces, detector);
        }

        using (faces)
        {
            if (faces.Count == 0)
            {
                return faces.ToAnalysis([]);
            }

            var outputs = await _batcher.PredictAsync(faces.Input, faces.Count, cancellationToken).ConfigureAwait(false);
            return faces.ToAnalysis(ToResults(faces.Faces, outputs));
        }
    }

    /// <summary>Analyses an image read from a stream (at most <see cref="ImageDecodeOptions.MaxBytes"/> bytes).</summary>
    /// <exception cref="ImageDecodeException">The stream is not a usable image or is too long.</exception>
    public async Task<FaceAnalysis> AnalyzeAsync(Stream image, CancellationToken cancellationToken = default)
    {
        var data = await BoundedStreamReader.ReadAsync(image, Options.Decode.MaxBytes, cancellationToken).ConfigureAwait(false);
        return await AnalyzeAsync(data, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Analyses an image read from a stream (at most <see cref="ImageDecodeOptions.MaxBytes"/> bytes).</summary>
    public FaceAnalysis Analyze(Stream image) => Analyze(BoundedStreamReader.Read(image, Options.Decode.MaxBytes, CancellationToken.None));

    /// <summary>
    /// Analyses an 8-bit BGR (or grayscale/BGRA) image already in memory, by the same rules as encoded images (BGRA
    /// composited over white). The caller keeps ownership of it.
    /// </summary>
    /// <param name="image">The image; not disposed.</param>
    /// <param name="request">This call's settings; null for <see cref="DefaultRequest"/>.</param>
    public FaceAnalysis Analyze(Mat image, FaceAnalysisRequest? request = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty() || image.Depth() != MatType.CV_8U)
        {
            throw new ArgumentException("Expected a non-empty 8-bit image.", nameof(image));
        }

        // The same alpha rule as encoded images: BGRA is composited over white, not stripped of its alpha.
        using var converted = BgrConversion.ToBgrCopy(image);
        return Analyze(converted ?? image, 0, Resolve(request));
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
    /// <param name="request">This call's settings (detection, most faces returned, detector); null for <see cref="DefaultRequest"/>.</param>
    public IReadOnlyList<FaceInput> FindFaces(Mat image, FaceAnalysisRequest? request = null)
    {
        DetectionFrame.RequireImage(image);
        var (detection, maxFaces, detector) = Resolve(request);

        using var converted = BgrConversion.ToBgrCopy(image);
        var bgr = converted ?? image;
        var inputs = new List<FaceInput>();
        try
        {
            using var whole = new ReducedImage(new Mat(bgr, new Rect(0, 0, bgr.Width, bgr.Height)), 1, bgr.Width, bgr.Height);
            foreach (var face in FacePipeline.LocateFaces(whole, detection, maxFaces, detector, _landmarker))
            {
                var crop = face.Score is null ? bgr.Clone() : _pipeline.Cut(bgr, face);
                try
                {
                    inputs.Add(new FaceInput(face.Box, face.Score, crop, _model.Manifest.Preprocessing.ToRgbPixels(crop), face.Landmarks));
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
        return ToResults([new LocatedFace(face.Box, face.DetectionScore, face.Landmarks)], _model.Predict(input, 1))[0];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _batcher?.Dispose();
        _model.Dispose();
    }

    private static OnnxFaceModelOptions ModelOptions(FaceAnalyzerOptions options) => new() { IntraOpThreads = options.IntraOpThreads };

    // A call's request, with the analyzer's settings where it has none.
    private (DetectionMode Detection, int MaxFaces, IFaceDetector? Detector) Resolve(FaceAnalysisRequest? request)
    {
        request ??= DefaultRequest;
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxFaces, 1, nameof(request));
        return (request.Detection, request.MaxFaces, request.Detector ?? _detector);
    }

    private FaceAnalysis Analyze(Mat bgr, double decodeMs, (DetectionMode Detection, int MaxFaces, IFaceDetector? Detector) call)
    {
        using var image = new ReducedImage(new Mat(bgr, new Rect(0, 0, bgr.Width, bgr.Height)), 1, bgr.Width, bgr.Height);
        using var faces = _pipeline.Prepare(image, default, decodeMs, call.Detection, call.MaxFaces, call.Detector);
        return Predict(faces);
    }

    private FaceAnalysis Analyze(ReadOnlySpan<byte> image, DetectionMode detection, int maxFaces, IFaceDetector? detector)
    {
        using var faces = _pipeline.Prepare(image, detection, maxFaces, detector);
        return Predict(faces);
    }

    // One model run over the prepared faces, on this thread (none when no face was found).
    private FaceAnalysis Predict(PreparedFaces faces) =>
        faces.ToAnalysis(faces.Count == 0 ? [] : ToResults(faces.Faces, _model.Predict(faces.Input.Span, faces.Count)));

    private List<FaceResult> ToResults(IReadOnlyList<LocatedFace> faces, HeadOutputs outputs)
    {
        var results = new List<FaceResult>(faces.Count);
        for (var i = 0; i < faces.Count; i++)
        {
            var attributes = new Dictionary<string, AttributePrediction>(StringComparer.Ordinal);
            foreach (var head in _model.Schema.Heads)
            {
                attributes[head.Name] = ToPrediction(head, outputs.Row(head.Name, i));
            }

            results.Add(new FaceResult(faces[i].Box, faces[i].Score is not null, faces[i].Score, attributes, faces[i].Landmarks));
        }

        return results;
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
