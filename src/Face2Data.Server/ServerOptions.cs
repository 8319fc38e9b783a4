using System.ComponentModel.DataAnnotations;
using Face2Data.Detection;

namespace Face2Data.Server;

/// <summary>Settings of the Face2Data server, bound from the configuration section <c>Server</c>.</summary>
public sealed class ServerOptions : IValidatableObject
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "Server";

    /// <summary>The exported <c>.onnx</c> model to serve; the bundled model when empty.</summary>
    public string? ModelPath { get; set; }

    /// <summary>
    /// Face detector: <c>none</c> treats every image as one face crop; other names pick a registered detector
    /// (default <see cref="FaceDetectors.Default"/>, MediaPipe's BlazeFace with tiles).
    /// </summary>
    [Required]
    public string Detector { get; set; } = FaceDetectors.Default;

    /// <summary>Most bytes a request body may hold (default 10 MiB); more is refused with 413.</summary>
    [Range(1024, 1024 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Most pixels an image may declare in its header (default 40 million); more is refused with 422 before decoding.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>Most faces analysed per image; the <c>max_faces</c> query option may lower it.</summary>
    [Range(1, 1000)]
    public int MaxFaces { get; set; } = 20;

    /// <summary>Most images in one <c>POST /v1/analyze/batch</c> request.</summary>
    [Range(1, 1000)]
    public int MaxBatchImages { get; set; } = 16;

    /// <summary>Images analysed at the same time; more wait in the queue.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentInferences { get; set; } = 2;

    /// <summary>
    /// Most requests that may wait for an inference slot; more are refused with 429 and <c>Retry-After</c>.
    /// <see cref="MaxQueueWaitMs"/> usually binds first: this is the cap on top of it.
    /// </summary>
    [Range(0, 100_000)]
    public int QueueLimit { get; set; } = 256;

    /// <summary>
    /// Longest wait for a slot, in milliseconds, the queue takes a request in for (default 500): it holds as many
    /// requests as the slots serve in this time at the measured time per inference (a moving average), at least one
    /// per slot and at most <see cref="QueueLimit"/>; more are refused at once with 429 and <c>Retry-After</c>. With
    /// 200×200 faces on 2 cores (2.7 ms a request) that is about 370, so the cap of 256 holds; with 1280×720 photos
    /// (60 ms a request) about 16. 0 bounds the queue by <see cref="QueueLimit"/> alone.
    /// </summary>
    [Range(0.0, 3_600_000.0)]
    public double MaxQueueWaitMs { get; set; } = 500;

    /// <summary>
    /// ONNX Runtime threads per inference; 0 lets ONNX Runtime choose (one per core, pinned, spinning while idle).
    /// The default, 1, leaves the other cores to the requests decoding and detecting meanwhile: on a 2-core machine it
    /// served more requests per second than 0 or 2 (docs/performance.md).
    /// </summary>
    [Range(0, 1024)]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>
    /// Most faces of concurrent requests run through the model together (dynamic micro-batching,
    /// <see cref="Face2Data.Inference.InferenceBatcher"/>); 1 (the default) runs each request's faces on their
    /// own. With the bundled 64-pixel model on a 2-core machine batching served fewer requests per second, since a
    /// batch of 8 costs only a quarter less per face than 8 single runs; try 16 for larger models or more cores.
    /// </summary>
    [Range(1, 256)]
    public int InferenceBatchSize { get; set; } = 1;

    /// <summary>
    /// Longest a batch waits, in milliseconds, for requests that are still being decoded before it runs; 0 takes only
    /// what is already queued. A lone request never waits.
    /// </summary>
    [Range(0.0, 1000.0)]
    public double InferenceBatchWaitMs { get; set; } = 2;

    /// <summary>
    /// JPEGs at least twice this size are decoded at 1/2, 1/4 or 1/8 scale for detection, keeping the longer side at
    /// least this many pixels (faces whose crops would be too small are cut from a full decode); 0 always decodes at
    /// full size. Null (the default) takes the size the chosen detector scales larger images down to anyway:
    /// <see cref="Haar"/>'s <c>DetectionMaxSide</c>, or <see cref="Tiny"/>'s <c>InputSize</c>. Unless it is 0, a
    /// request that names another detector decodes for that detector's size.
    /// </summary>
    [Range(0, 100_000)]
    public int? ReducedDecodeSide { get; set; }

    /// <summary>
    /// Settings of the <c>haar</c> detector (section <c>Server:Haar</c>): <c>DetectionMaxSide</c>,
    /// <c>ScaleFactor</c>, <c>MinNeighbors</c>, <c>MinFaceSize</c>, <c>PadFraction</c>, <c>CropScanSide</c>,
    /// <c>CascadePath</c>… Smaller scans are faster and miss more small faces (docs/performance.md has the trade).
    /// </summary>
    [Required]
    public HaarFaceDetectorOptions Haar { get; set; } = new();

    /// <summary>
    /// Settings of the <c>tiny</c> detector, face-api.js's Tiny Face Detector (section <c>Server:Tiny</c>):
    /// <c>InputSize</c>, <c>ScoreThreshold</c>, <c>ModelPath</c> (default: the bundled file)… A CNN: several times
    /// faster than the Haar cascade on photos, and it misses more faces on the synthetic scenes of
    /// docs/performance.md, most of all small ones.
    /// </summary>
    [Required]
    public TinyFaceDetectorOptions Tiny { get; set; } = new();

    /// <summary>
    /// Settings of the <c>blazeface</c> detector, MediaPipe's BlazeFace CNN (section <c>Server:BlazeFace</c>):
    /// <c>ModelPath</c> (default: the bundled back-camera model), <c>ScoreThreshold</c>, <c>TileSize</c> (scan
    /// overlapping tiles too, for small faces; slower)… Measured against the others on real photos in docs/performance.md.
    /// </summary>
    [Required]
    public BlazeFaceDetectorOptions BlazeFace { get; set; } = new();

    /// <summary>
    /// Settings of the <c>ssd</c> detector, face-api.js's SSD MobileNet v1 (section <c>Server:Ssd</c>): <c>ModelPath</c>
    /// (default: the bundled file), <c>ScoreThreshold</c>, <c>TileSide</c>… About 44 ms of CPU per photo.
    /// </summary>
    [Required]
    public SsdFaceDetectorOptions Ssd { get; set; } = new();

    /// <summary>
    /// Whether faces get landmarks (eyes, nose, mouth corners, roll) from the bundled 68-point landmark network when
    /// the detector gives none; they appear in the JSON and on the page.
    /// </summary>
    public bool Landmarks { get; set; } = true;

    /// <summary>
    /// Whether a face with landmarks is cut aligned on its eyes (as UTKFace's training crops are) instead of by its box.
    /// On by default: with the default detector aligned crops scored higher on real photos by the rule written
    /// beforehand (docs/performance.md, "Box or aligned crops").
    /// </summary>
    public bool AlignFaces { get; set; } = true;

    /// <summary>Longest a request may take, upload and queue wait included; beyond it the server answers 504.</summary>
    [Range(1, 3600)]
    public int RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>Per-client request limits on the API routes; off unless <see cref="RateLimitSettings.Enabled"/> is set.</summary>
    [Required]
    public RateLimitSettings RateLimit { get; set; } = new();

    /// <summary>When set, API routes need this value in the <c>X-Api-Key</c> header.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Origins allowed to call the API from other sites' pages (CORS); none when empty, <c>*</c> for any.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>Folder of PNG/SVG/JPEG charts (training curves, dataset distributions) the pages show; optional.</summary>
    public string? AssetsDirectory { get; set; }

    /// <summary>A dataset (UTKFace folder or archive) whose label distributions the Dataset page charts; optional.</summary>
    public string? DatasetPath { get; set; }

    /// <summary>Checks what data annotations cannot: the nested rate-limit settings, the optional paths and the CORS origins.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var nested = new List<ValidationResult>();
        Validator.TryValidateObject(RateLimit, new ValidationContext(RateLimit), nested, validateAllProperties: true);
        foreach (var result in nested)
        {
            yield return new ValidationResult($"RateLimit: {result.ErrorMessage}", result.MemberNames.Select(m => $"{nameof(RateLimit)}.{m}"));
        }

        if (!string.IsNullOrWhiteSpace(AssetsDirectory) && !Directory.Exists(AssetsDirectory))
        {
            yield return new ValidationResult($"AssetsDirectory: no folder at '{AssetsDirectory}'.", [nameof(AssetsDirectory)]);
        }

        if (!string.IsNullOrWhiteSpace(DatasetPath) && !Directory.Exists(DatasetPath) && !File.Exists(DatasetPath))
        {
            yield return new ValidationResult($"DatasetPath: no dataset folder or file at '{DatasetPath}'.", [nameof(DatasetPath)]);
        }

        foreach (var origin in CorsOrigins)
        {
            if (origin != "*" && !Uri.TryCreate(origin, UriKind.Absolute, out _))
            {
                yield return new ValidationResult($"CorsOrigins: '{origin}' is neither '*' nor an absolute origin such as https://example.org.", [nameof(CorsOrigins)]);
            }
        }
    }
}
