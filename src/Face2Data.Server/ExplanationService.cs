using System.Diagnostics;
using System.Globalization;
using Face2Data.Explanation;
using Face2Data.Imaging;
using Face2Data.Inference;
using Microsoft.Extensions.Options;

namespace Face2Data.Server;

/// <summary>
/// Runs explanations for <c>POST /v1/explain</c>: reads and checks the options against the served model, checks
/// the image's header before it takes an inference slot, waits in the <see cref="InferenceQueue"/> like an analysis
/// (an explanation holds its slot for all its model calls), then explains one face with <see cref="FaceExplainer"/>.
/// </summary>
internal sealed class ExplanationService
{
    /// <summary>Most SHAP samples a request may ask for (a request's time grows with them).</summary>
    public const int MaxSamples = 2048;

    private readonly ModelHost _model;
    private readonly InferenceQueue _queue;

    /// <summary>Creates the service.</summary>
    public ExplanationService(ModelHost model, InferenceQueue queue, IOptions<ServerOptions> options)
    {
        _model = model;
        _queue = queue;
        Options = options.Value;
    }

    /// <summary>The server's settings.</summary>
    public ServerOptions Options { get; }

    /// <summary>The served model's manifest.</summary>
    public ModelManifest Model => _model.Analyzer.Model;

    /// <summary>
    /// Turns the request's options into an explanation request for the served model: unknown method, head or class
    /// and out-of-range numbers are refused with their problem kinds before any image work.
    /// </summary>
    /// <exception cref="ProblemException">An option is refused (400).</exception>
    public ExplanationRequest Parse(ExplainQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        AttributionMethod method;
        try
        {
            method = string.IsNullOrWhiteSpace(query.Method) ? AttributionMethod.Occlusion : ExplanationOptions.ParseMethod(query.Method);
        }
        catch (ArgumentException ex)
        {
            throw new ProblemException(ProblemKind.UnknownMethod, ex.Message.Split(" (Parameter", 2)[0]);
        }

        AttributionBaseline baseline;
        try
        {
            baseline = string.IsNullOrWhiteSpace(query.Baseline) ? AttributionBaseline.Blur : ExplanationOptions.ParseBaseline(query.Baseline);
        }
        catch (ArgumentException ex)
        {
            throw new ProblemException(ProblemKind.InvalidParameter, $"'baseline': {ex.Message.Split(" (Parameter", 2)[0]}");
        }

        var grid = Integer("grid", query.Grid, 8, AttributionGrid.MinCells, AttributionGrid.MaxCells);
        var (detector, detection) = _model.RequestedDetection(query.Detector, AnalysisRequest.Parse(query.Detect, null, Options.MaxFaces).Detection);
        var request = new ExplanationRequest
        {
            Head = Text(query.Head),
            Class = Text(query.Class),
            Face = Integer("face", query.Face, 1, 1, Options.MaxFaces),
            Detection = detection,
            Detector = detector,
            Options = new ExplanationOptions
            {
                Method = method,
                Baseline = baseline,
                Grid = grid,
                Samples = Integer("samples", query.Samples, 512, grid * grid, MaxSamples),
                Seed = Integer("seed", query.Seed, 0, 0, int.MaxValue),
                Patch = OptionalInteger("patch", query.Patch),
                Stride = OptionalInteger("stride", query.Stride),
            },
        };
        try
        {
            request.Validate(Model.Schema, Model.Preprocessing.Size);
        }
        catch (ArgumentException ex)
        {
            // The inference library names the faulty part of the request in the exception's parameter name.
            var kind = ex.ParamName switch
            {
                nameof(ExplanationRequest.Head) => ProblemKind.UnknownHead,
                nameof(ExplanationRequest.Class) => ProblemKind.UnknownClass,
                _ => ProblemKind.InvalidParameter,
            };
            throw new ProblemException(kind, ex.Message.Split(" (Parameter", 2)[0]);
        }

        return request;
    }

    /// <summary>Explains one face of an image.</summary>
    /// <returns>The explanation, the image's upright size, and the milliseconds spent waiting for a slot and explaining.</returns>
    /// <exception cref="ProblemException">The image is refused (4xx), has no such face (422), or the queue is full (429).</exception>
    public async Task<(FaceExplanation Explanation, int Width, int Height, double QueueMs, double ExplainMs)> ExplainAsync(
        byte[] image, ExplanationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            _model.Decoder.Validate(image);
        }
        catch (ImageDecodeException ex)
        {
            throw new ProblemException(ProblemKind.For(ex.Kind), ex.Message);
        }

        var clock = Stopwatch.StartNew();
        using var lease = await _queue.TryEnterAsync(cancellationToken) ?? throw _queue.Refusal();
        var queueMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        OpenCvSharp.Mat upright;
        try
        {
            upright = _model.Decoder.Decode(image);
        }
        catch (ImageDecodeException ex)
        {
            throw new ProblemException(ProblemKind.For(ex.Kind), ex.Message);
        }

        using (upright)
        {
            var explanation = new FaceExplainer(_model.Analyzer).Explain(upright, request, cancellationToken)
                ?? throw new ProblemException(
                    ProblemKind.NoFace,
                    request.Face == 1
                        ? $"No face was found in the {upright.Width}x{upright.Height} image (detect={request.Detection.ToString().ToLowerInvariant()}); send a face crop with detect=never to explain the whole image."
                        : $"Face {request.Face} was asked for, but the image has fewer faces.");
            return (explanation, upright.Width, upright.Height, queueMs, clock.Elapsed.TotalMilliseconds);
        }
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static int Integer(string name, string? text, int fallback, int min, int max)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ProblemException(ProblemKind.InvalidParameter, $"'{name}' must be a whole number from {min} to {max}.");
    }

    private static int? OptionalInteger(string name, string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : Integer(name, text, 0, 1, 4096);
}
