using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Face2Data.Server;

/// <summary>
/// Reads the images of an upload: a multipart/form-data body (field <c>image</c>; any file fields for a batch) or a
/// raw <c>image/*</c> (or <c>application/octet-stream</c>) body. The body is read into memory up to
/// <see cref="ServerOptions.MaxBodyBytes"/> and refused with 413 beyond it, whether or not the client declared its
/// length; nothing is buffered to disk.
/// </summary>
internal static class UploadReader
{
    /// <summary>The multipart field of a single upload.</summary>
    public const string ImageField = "image";

    private const int ChunkBytes = 64 * 1024;

    // Text fields are options such as a head's name; longer ones are ignored.
    private const int MaxFieldBytes = 1024;

    /// <summary>Reads the one image of an analyze request.</summary>
    /// <exception cref="ProblemException">The request has no usable image (415, 413, 400).</exception>
    public static async Task<UploadedImage> ReadOneAsync(HttpRequest request, int maxBodyBytes, CancellationToken cancellationToken)
    {
        var (boundary, body) = await ReadBodyAsync(request, maxBodyBytes, allowRaw: true, cancellationToken);
        if (boundary is null)
        {
            return new UploadedImage("body", body);
        }

        var parts = await ReadPartsAsync(body, boundary, cancellationToken);
        var image = parts.FirstOrDefault(p => p.Name == ImageField);
        return image is not null ? new UploadedImage(image.Name, image.Bytes) : throw new ProblemException(
            ProblemKind.MissingField,
            $"The multipart request has no '{ImageField}' field{Listing(parts)}; send the picture as a file field named '{ImageField}'.");
    }

    /// <summary>
    /// Reads the one image of a request, like <see cref="ReadOneAsync"/>, and the text fields sent beside it in a
    /// multipart body (none for a raw body), by name; a field given twice keeps its first value.
    /// </summary>
    /// <exception cref="ProblemException">The request has no usable image (415, 413, 400).</exception>
    public static async Task<(UploadedImage Image, IReadOnlyDictionary<string, string> Fields)> ReadOneWithFieldsAsync(HttpRequest request, int maxBodyBytes, CancellationToken cancellationToken)
    {
        var (boundary, body) = await ReadBodyAsync(request, maxBodyBytes, allowRaw: true, cancellationToken);
        if (boundary is null)
        {
            return (new UploadedImage("body", body), new Dictionary<string, string>(StringComparer.Ordinal));
        }

        var parts = await ReadPartsAsync(body, boundary, cancellationToken);
        var image = parts.FirstOrDefault(p => p.Name == ImageField) ?? throw new ProblemException(
            ProblemKind.MissingField,
            $"The multipart request has no '{ImageField}' field{Listing(parts)}; send the picture as a file field named '{ImageField}'.");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts.Where(p => !p.IsFile && p.Name != ImageField && p.Bytes.Length <= MaxFieldBytes))
        {
            fields.TryAdd(part.Name, System.Text.Encoding.UTF8.GetString(part.Bytes));
        }

        return (new UploadedImage(image.Name, image.Bytes), fields);
    }

    /// <summary>Reads every image of a batch request: each file field, or each field named <c>image</c> or <c>images</c>.</summary>
    /// <exception cref="ProblemException">The request is not multipart, holds no image or too many (415, 413, 400).</exception>
    public static async Task<IReadOnlyList<UploadedImage>> ReadManyAsync(HttpRequest request, int maxBodyBytes, int maxImages, CancellationToken cancellationToken)
    {
        var (boundary, body) = await ReadBodyAsync(request, maxBodyBytes, allowRaw: false, cancellationToken);
        var parts = await ReadPartsAsync(body, boundary!, cancellationToken);
        var images = parts.Where(p => p.IsFile || p.Name is ImageField or "images").Select(p => new UploadedImage(p.Name, p.Bytes)).ToList();
        if (images.Count == 0)
        {
            throw new ProblemException(ProblemKind.MissingField, $"The batch holds no image{Listing(parts)}; send each picture as a file field (for example 'images').");
        }

        if (images.Count > maxImages)
        {
            throw new ProblemException(ProblemKind.TooManyImages, $"The batch holds {images.Count} images; at most {maxImages} are accepted per request.");
        }

        return images;
    }

    private static async Task<(string? Boundary, byte[] Body)> ReadBodyAsync(HttpRequest request, int maxBodyBytes, bool allowRaw, CancellationToken cancellationToken)
    {
        var boundary = Boundary(request, allowRaw);
        if (request.ContentLength > maxBodyBytes)
        {
            throw new ProblemException(ProblemKind.BodyTooLarge, $"The request body holds {request.ContentLength:N0} bytes; at most {maxBodyBytes:N0} are accepted.");
        }

        // Kestrel then stops a body without a declared length at the limit too, before it is all received.
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = maxBodyBytes;
        }

        try
        {
            return (boundary, request.ContentLength is { } length
                ? await ReadExactlyAsync(request.Body, (int)length, cancellationToken)
                : await ReadToEndAsync(request.Body, maxBodyBytes, cancellationToken));
        }
        catch (BadHttpRequestException ex)
        {
            throw ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge(maxBodyBytes)
                : new ProblemException(ProblemKind.BadRequest, $"The request body could not be read: {ex.Message}");
        }
    }

    // A declared length (already checked against the limit) is read straight into an array of that size: one
    // allocation per request, no copies. Kestrel ends the body at the declared length.
    private static async Task<byte[]> ReadExactlyAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var bytes = new byte[length];
        var total = 0;
        int read;
        while (total < length && (read = await body.ReadAsync(bytes.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return total == length ? bytes : bytes[..total];
    }

    private static async Task<byte[]> ReadToEndAsync(Stream body, int maxBodyBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(ChunkBytes);
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBodyBytes)
                {
                    throw TooLarge(maxBodyBytes);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private static string? Boundary(HttpRequest request, bool allowRaw)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || contentType.MediaType.Value is not { } mediaType)
        {
            throw new ProblemException(
                ProblemKind.UnsupportedMediaType,
                request.ContentType is null
                    ? $"The request has no Content-Type; send multipart/form-data with an '{ImageField}' field{(allowRaw ? " or an image/* body" : "")}."
                    : $"The Content-Type '{request.ContentType}' cannot be parsed.");
        }

        if (mediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
            return string.IsNullOrEmpty(boundary) || boundary.Length > 200
                ? throw new ProblemException(ProblemKind.BadRequest, "The multipart/form-data Content-Type has no valid boundary.")
                : boundary;
        }

        var raw = mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase);
        if (raw && allowRaw)
        {
            return null;
        }

        throw new ProblemException(
            ProblemKind.UnsupportedMediaType,
            allowRaw
                ? $"The Content-Type '{mediaType}' is not accepted; send multipart/form-data with an '{ImageField}' field, or an image/* body."
                : $"The Content-Type '{mediaType}' is not accepted; a batch is multipart/form-data with one file field per image.");
    }

    private static async Task<List<Part>> ReadPartsAsync(byte[] body, string boundary, CancellationToken cancellationToken)
    {
        var reader = new MultipartReader(boundary, new MemoryStream(body, writable: false));
        var parts = new List<Part>();
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                using var content = new MemoryStream();
                await section.Body.CopyToAsync(content, cancellationToken);
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                parts.Add(new Part(name, disposition.IsFileDisposition(), content.ToArray()));
            }
        }
        catch (IOException ex)
        {
            throw new ProblemException(ProblemKind.BadRequest, $"The multipart body is malformed: {ex.Message}");
        }
        catch (InvalidDataException ex)
        {
            throw new ProblemException(ProblemKind.BadRequest, $"The multipart body is malformed: {ex.Message}");
        }

        return parts;
    }

    private static ProblemException TooLarge(int maxBodyBytes) =>
        new(ProblemKind.BodyTooLarge, $"The request body holds more than the {maxBodyBytes:N0} bytes accepted.");

    private static string Listing(List<Part> parts) =>
        parts.Count == 0 ? "" : $" (fields: {string.Join(", ", parts.Select(p => $"'{p.Name[..Math.Min(p.Name.Length, 40)]}'").Distinct().Take(10))})";

    private sealed record Part(string Name, bool IsFile, byte[] Bytes);
}
