using Face2Data.Imaging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Face2Data.Server;

/// <summary>
/// One kind of error the API reports: an RFC 9457 problem <c>type</c> URI that stays stable, its HTTP status and a
/// short title. Clients branch on <see cref="Type"/>; the <c>detail</c> of each response says what exactly went wrong.
/// </summary>
/// <param name="Slug">Last segment of the type URI, such as <c>image-truncated</c>.</param>
/// <param name="Status">HTTP status code.</param>
/// <param name="Title">Short summary, the same for every occurrence.</param>
internal sealed record ProblemKind(string Slug, int Status, string Title)
{
    /// <summary>Where every problem type URI starts.</summary>
    public const string TypePrefix = "https://face2data.dev/problems/";

    /// <summary>The problem type URI, such as <c>https://face2data.dev/problems/image-truncated</c>.</summary>
    public string Type => TypePrefix + Slug;

    /// <summary>The request body holds no bytes.</summary>
    public static ProblemKind ImageEmpty { get; } = new("image-empty", 422, "The image is empty");

    /// <summary>The bytes are not JPEG, PNG, GIF, BMP, WebP or TIFF.</summary>
    public static ProblemKind NotAnImage { get; } = new("not-an-image", 422, "The upload is not an image");

    /// <summary>The image stops before its end.</summary>
    public static ProblemKind ImageTruncated { get; } = new("image-truncated", 422, "The image is truncated");

    /// <summary>The image's structure or compressed data is invalid.</summary>
    public static ProblemKind ImageCorrupt { get; } = new("image-corrupt", 422, "The image is corrupt");

    /// <summary>The image declares more pixels than allowed (checked from its header, before decoding).</summary>
    public static ProblemKind ImageTooLarge { get; } = new("image-too-large", 422, "The image has too many pixels");

    /// <summary>One image holds more bytes than allowed.</summary>
    public static ProblemKind ImageTooManyBytes { get; } = new("image-too-many-bytes", 413, "The image has too many bytes");

    /// <summary>A known format in a variant that is not decoded.</summary>
    public static ProblemKind ImageUnsupported { get; } = new("image-unsupported", 415, "The image format variant is not supported");

    /// <summary>A multipart request lacks its image field.</summary>
    public static ProblemKind MissingField { get; } = new("missing-field", 400, "A required field is missing");

    /// <summary>A query option has a value the API does not accept.</summary>
    public static ProblemKind InvalidParameter { get; } = new("invalid-parameter", 400, "A parameter is invalid");

    /// <summary>An explanation asks for a head the served model does not have.</summary>
    public static ProblemKind UnknownHead { get; } = new("unknown-head", 400, "The model has no such head");

    /// <summary>An explanation asks for a class the head does not have (or a class of a regression head).</summary>
    public static ProblemKind UnknownClass { get; } = new("unknown-class", 400, "The head has no such class");

    /// <summary>An explanation asks for a method other than occlusion or shap.</summary>
    public static ProblemKind UnknownMethod { get; } = new("unknown-method", 400, "No such explanation method");

    /// <summary>The image has no face to explain (none found, or fewer than the face number asked for).</summary>
    public static ProblemKind NoFace { get; } = new("no-face", 422, "No face to explain");

    /// <summary>The request is neither multipart/form-data nor an image/* body.</summary>
    public static ProblemKind UnsupportedMediaType { get; } = new("unsupported-media-type", 415, "The content type is not accepted");

    /// <summary>The request body is larger than allowed.</summary>
    public static ProblemKind BodyTooLarge { get; } = new("body-too-large", 413, "The request body is too large");

    /// <summary>A batch holds more images than allowed.</summary>
    public static ProblemKind TooManyImages { get; } = new("too-many-images", 400, "The batch holds too many images");

    /// <summary>Every inference slot is busy and the queue is full.</summary>
    public static ProblemKind QueueFull { get; } = new("queue-full", 429, "The server is busy");

    /// <summary>The client made more requests than its rate limit allows.</summary>
    public static ProblemKind RateLimited { get; } = new("rate-limited", 429, "Too many requests");

    /// <summary>The API key is missing or wrong.</summary>
    public static ProblemKind Unauthorized { get; } = new("unauthorized", 401, "An API key is required");

    /// <summary>The request took longer than the server allows.</summary>
    public static ProblemKind Timeout { get; } = new("timeout", 504, "The request timed out");

    /// <summary>No such resource.</summary>
    public static ProblemKind NotFound { get; } = new("not-found", 404, "Not found");

    /// <summary>The route exists but not with this method.</summary>
    public static ProblemKind MethodNotAllowed { get; } = new("method-not-allowed", 405, "Method not allowed");

    /// <summary>The request is malformed at the HTTP level (bad multipart body, bad headers).</summary>
    public static ProblemKind BadRequest { get; } = new("bad-request", 400, "The request is malformed");

    /// <summary>An unexpected server error; the response says nothing more, the log has the details.</summary>
    public static ProblemKind Internal { get; } = new("internal", 500, "An unexpected error occurred");

    /// <summary>Every kind, for documentation and tests.</summary>
    public static IReadOnlyList<ProblemKind> All { get; } =
    [
        ImageEmpty, NotAnImage, ImageTruncated, ImageCorrupt, ImageTooLarge, ImageTooManyBytes, ImageUnsupported,
        MissingField, InvalidParameter, UnsupportedMediaType, BodyTooLarge, TooManyImages, QueueFull, RateLimited,
        Unauthorized, Timeout, NotFound, MethodNotAllowed, BadRequest, Internal,
        UnknownHead, UnknownClass, UnknownMethod, NoFace,
    ];

    /// <summary>
    /// The kind for an image the decoder refused. A pixel count over the limit is 422, not 413: the request itself
    /// is small, it is the picture it declares that is refused.
    /// </summary>
    public static ProblemKind For(ImageErrorKind kind) => kind switch
    {
        ImageErrorKind.Empty => ImageEmpty,
        ImageErrorKind.NotAnImage => NotAnImage,
        ImageErrorKind.Truncated => ImageTruncated,
        ImageErrorKind.Corrupt => ImageCorrupt,
        ImageErrorKind.TooLarge => ImageTooLarge,
        ImageErrorKind.TooManyBytes => ImageTooManyBytes,
        ImageErrorKind.Unsupported => ImageUnsupported,
        _ => ImageCorrupt,
    };

    /// <summary>The kind that describes a bare HTTP status (from status-code pages or the framework).</summary>
    public static ProblemKind ForStatus(int status) => status switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        404 => NotFound,
        405 => MethodNotAllowed,
        413 => BodyTooLarge,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        504 => Timeout,
        _ => Internal,
    };

    /// <summary>A problem response of this kind.</summary>
    public ProblemHttpResult ToResult(string detail) => TypedResults.Problem(detail: detail, statusCode: Status, title: Title, type: Type);
}
