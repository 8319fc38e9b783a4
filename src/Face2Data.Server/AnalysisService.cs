using System.Diagnostics;
using Face2Data.Detection;
using Face2Data.Imaging;
using Face2Data.Inference;
using Microsoft.Extensions.Options;

namespace Face2Data.Server;

/// <summary>
/// Runs analyses for the endpoints: checks each image's header (size, pixel count, completeness) before it takes an
/// inference slot, waits in the <see cref="InferenceQueue"/>, analyses, and records the metrics.
/// </summary>
internal sealed class AnalysisService
{
    private readonly ModelHost _model;
    private readonly InferenceQueue _queue;
    private readonly ServerMetrics _metrics;

    /// <summary>Creates the service.</summary>
    public AnalysisService(ModelHost model, InferenceQueue queue, ServerMetrics metrics, IOptions<ServerOptions> options)
    {
        _model = model;
        _queue = queue;
        _metrics = metrics;
        Options = options.Value;
    }

    /// <summary>The server's settings.</summary>
    public ServerOptions Options { get; }

    /// <summary>The served model's manifest.</summary>
    public ModelManifest Model => _model.Analyzer.Model;

    /// <summary>Analyses one image.</summary>
    /// <returns>The analysis and the milliseconds spent waiting for a slot.</returns>
    /// <exception cref="ProblemException">The image is refused (4xx) or the queue is full (429).</exception>
    public async Task<(FaceAnalysis Analysis, double QueueMs)> AnalyzeAsync(byte[] image, AnalysisRequest request, CancellationToken cancellationToken)
    {
        request = WithDetector(request, out var detector);
        Validate(image);
        var clock = Stopwatch.StartNew();
        using var lease = await EnterAsync(cancellationToken);
        var queueMs = clock.Elapsed.TotalMilliseconds;
        return (await AnalyzeOneAsync(image, request, detector, cancellationToken), queueMs);
    }

    /// <summary>Analyses several images under one inference slot; an image that is refused yields its problem.</summary>
    /// <exception cref="ProblemException">The queue is full (429).</exception>
    public async Task<IReadOnlyList<(FaceAnalysis? Analysis, ProblemException? Error)>> AnalyzeBatchAsync(
        IReadOnlyList<UploadedImage> images, AnalysisRequest request, CancellationToken cancellationToken)
    {
        request = WithDetector(request, out var detector);
        var results = new (FaceAnalysis?, ProblemException?)[images.Count];
        var valid = new List<int>();
        for (var i = 0; i < images.Count; i++)
        {
            try
            {
                Validate(images[i].Bytes);
                valid.Add(i);
            }
            catch (ProblemException ex)
            {
                results[i] = (null, ex);
            }
        }

        if (valid.Count > 0)
        {
            using var lease = await EnterAsync(cancellationToken);
            foreach (var i in valid)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    results[i] = (await AnalyzeOneAsync(images[i].Bytes, request, detector, cancellationToken), null);
                }
                catch (ProblemException ex)
                {
                    results[i] = (null, ex);
                }
            }
        }

        return results;
    }

    // The request's own detector, when it names one: "none" turns detection off, an unknown name is a 400.
    private AnalysisRequest WithDetector(AnalysisRequest request, out IFaceDetector? detector)
    {
        (detector, var detection) = _model.RequestedDetection(request.Detector, request.Detection);
        return request with { Detection = detection };
    }

    private void Validate(byte[] image)
    {
        try
        {
            _model.Decoder.Validate(image);
        }
        catch (ImageDecodeException ex)
        {
            throw new ProblemException(ProblemKind.For(ex.Kind), ex.Message);
        }
    }

    private async Task<IDisposable> EnterAsync(CancellationToken cancellationToken) =>
        await _queue.TryEnterAsync(cancellationToken) ?? throw _queue.Refusal();

    private async Task<FaceAnalysis> AnalyzeOneAsync(byte[] image, AnalysisRequest request, IFaceDetector? detector, CancellationToken cancellationToken)
    {
        FaceAnalysis analysis;
        try
        {
            analysis = await _model.Analyzer.AnalyzeAsync(image, new FaceAnalysisRequest { Detection = request.Detection, MaxFaces = request.MaxFaces, Detector = detector }, cancellationToken);
        }
        catch (ImageDecodeException ex)
        {
            throw new ProblemException(ProblemKind.For(ex.Kind), ex.Message);
        }

        _metrics.RecordInference(analysis.Timings.TotalMs / 1000, analysis.Faces.Count);
        return analysis;
    }
}
