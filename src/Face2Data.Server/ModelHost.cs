using Face2Data.Detection;
using Face2Data.Imaging;
using Face2Data.Inference;
using Microsoft.Extensions.Options;

namespace Face2Data.Server;

/// <summary>
/// Owns the served <see cref="FaceAnalyzer"/>: loads it when the host starts — so a missing or corrupt model stops
/// start-up with a clear message instead of failing requests later — reports readiness, and frees the model once
/// the web server has drained its requests.
/// </summary>
internal sealed class ModelHost : IHostedService, IDisposable
{
    /// <summary>The <see cref="ServerOptions.Detector"/> value that analyses every image as one face crop.</summary>
    public const string NoDetector = "none";

    private readonly ServerOptions _options;
    private readonly IServiceProvider _services;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<ModelHost> _logger;
    private FaceAnalyzer? _analyzer;
    private volatile bool _ready;

    /// <summary>Creates the host; nothing is loaded until <see cref="StartAsync"/>.</summary>
    public ModelHost(IOptions<ServerOptions> options, IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<ModelHost> logger)
    {
        _options = options.Value;
        _services = services;
        _lifetime = lifetime;
        _logger = logger;
        Decoder = new ImageDecoder(DecodeOptions(_options));
    }

    /// <summary>The loaded analyzer.</summary>
    /// <exception cref="InvalidOperationException">The model is not loaded (yet, or any more).</exception>
    public FaceAnalyzer Analyzer => _analyzer ?? throw new InvalidOperationException("The model is not loaded.");

    /// <summary>A decoder with the analyzer's limits, to check uploads before they take an inference slot.</summary>
    public ImageDecoder Decoder { get; }

    /// <summary>True from a successful load until shutdown begins.</summary>
    public bool IsReady => _ready;

    /// <summary>Loads the model and the detector named in the options.</summary>
    /// <exception cref="InvalidOperationException">The model is missing or unusable, or the detector is unknown; the message says which and why.</exception>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var detector = ResolveDetector();
        var landmarker = ResolveLandmarker();
        var bundled = string.IsNullOrWhiteSpace(_options.ModelPath);
        var path = bundled ? BundledModel.Path : BundledModel.Resolve(_options.ModelPath!);
        try
        {
            _analyzer = FaceAnalyzer.Load(
                bundled ? BundledModel.RequirePath() : path,
                new FaceAnalyzerOptions
                {
                    IntraOpThreads = _options.IntraOpThreads,
                    Decode = DecodeOptions(_options),
                    MaxFaces = _options.MaxFaces,
                    ReducedDecodeSide = (_options.ReducedDecodeSide ?? ScanSide(detector)) is > 0 and var side ? side : null,
                    Batching = _options.InferenceBatchSize > 1
                        ? new InferenceBatcherOptions { MaxBatchSize = _options.InferenceBatchSize, MaxWait = TimeSpan.FromMilliseconds(_options.InferenceBatchWaitMs) }
                        : null,
                    Alignment = _options.Landmarks && _options.AlignFaces ? EyeAlignment.UtkFace : null,
                },
                detector,
                landmarker);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
        {
            throw new InvalidOperationException($"Cannot serve the model '{path}': {ex.Message}", ex);
        }

        var model = _analyzer.Model;
        _logger.LogInformation(
            "Serving model {Name} {Version} ({Architecture}, input {Size}px, heads {Heads}) from {Path} with detector {Detector}",
            model.Name, model.Version, model.Architecture, model.Preprocessing.Size, string.Join(", ", model.Schema.Heads.Select(h => h.Name)), path, _options.Detector);
        _lifetime.ApplicationStopping.Register(() => _ready = false);
        _ready = true;
        return Task.CompletedTask;
    }

    /// <summary>Marks the server not ready; the model itself is freed on disposal, after in-flight requests are done.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _ready = false;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _ready = false;
        _analyzer?.Dispose();
        _analyzer = null;
    }

    // The landmark network when Server:Landmarks is on; a missing or broken file stops start-up with the remedy.
    private IFaceLandmarker? ResolveLandmarker()
    {
        if (!_options.Landmarks)
        {
            return null;
        }

        try
        {
            return _services.GetService<IFaceLandmarker>();
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
        {
            throw new InvalidOperationException($"Cannot locate face landmarks: {ex.Message} Set Server:Landmarks=false to serve without them.", ex);
        }
    }

    private static ImageDecodeOptions DecodeOptions(ServerOptions options) => new() { MaxBytes = options.MaxBodyBytes, MaxPixels = options.MaxPixels };

    // The size the server's detector scales large images down to, so decoding any larger is wasted. A server that
    // detects nothing itself keeps reduced decoding on for the detectors requests name (each decodes for its own size).
    private int? ScanSide(IFaceDetector? detector) => detector is null ? _options.Haar.DetectionMaxSide : detector.ScanSide;

    /// <summary>The detector names a request may choose: <see cref="NoDetector"/> and every registered one.</summary>
    public IReadOnlyList<string> DetectorNames => [NoDetector, .. _services.GetServices<DetectorRegistration>().Select(r => r.Name)];

    /// <summary>
    /// The detector called <paramref name="name"/> (case-insensitive): null for <see cref="NoDetector"/>, otherwise the
    /// registered one (made on first use and kept). False when no detector has that name.
    /// </summary>
    public bool TryFindDetector(string name, out IFaceDetector? detector)
    {
        detector = null;
        if (string.Equals(name, NoDetector, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        detector = _services.GetKeyedService<IFaceDetector>(name.ToLowerInvariant());
        return detector is not null;
    }

    /// <summary>
    /// How a request that may name a detector finds its faces: no name keeps the server's detector (null) and
    /// <paramref name="detection"/>; <see cref="NoDetector"/> turns detection off; another name is that detector.
    /// </summary>
    /// <exception cref="ProblemException">No detector has that name (400 invalid-parameter, listing the known ones).</exception>
    public (IFaceDetector? Detector, DetectionMode Detection) RequestedDetection(string? name, DetectionMode detection)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return (null, detection);
        }

        if (!TryFindDetector(name.Trim(), out var detector))
        {
            throw new ProblemException(ProblemKind.InvalidParameter, $"'detector' must be one of {string.Join(", ", DetectorNames)}.");
        }

        return (detector, detector is null ? DetectionMode.Never : detection);
    }

    private IFaceDetector? ResolveDetector() =>
        TryFindDetector(_options.Detector, out var detector)
            ? detector
            : throw new InvalidOperationException($"Unknown face detector '{_options.Detector}'. Known: {string.Join(", ", DetectorNames)}.");
}
