using OpenCvSharp;

namespace Face2Data.Imaging;

/// <summary>
/// Decodes untrusted image bytes (uploads, files, CLI input) into an upright 8-bit 3-channel BGR <see cref="Mat"/>.
/// Every input either decodes or throws <see cref="ImageDecodeException"/> with a specific
/// <see cref="ImageErrorKind"/>: the size is capped before reading, the declared pixel count is checked from the
/// header before OpenCV allocates anything, and truncation is detected from the file structure (JPEG EOI, PNG IEND,
/// GIF trailer, BMP pixel array, WebP RIFF size) rather than left to the decoders, which either fill the missing
/// part with grey (libjpeg) or fail with a generic error.
/// </summary>
/// <remarks>
/// Conversions: 16-bit samples are scaled by 1/257; gray becomes BGR; alpha (PNG, WebP, TIFF, BMP with an alpha
/// mask, GIF with a transparent colour) is composited over white; a CMYK JPEG is converted by libjpeg assuming Adobe's inverted CMYK, as Photoshop writes;
/// a JPEG's EXIF orientation is applied (other formats' EXIF is ignored); an animated GIF, PNG or WebP gives its
/// first frame. The decoder holds no state besides its options and is safe to use from several threads.
/// </remarks>
public sealed class ImageDecoder
{
    private readonly ImageDecodeOptions _options;

    /// <summary>Creates a decoder with the given limits, or the defaults.</summary>
    public ImageDecoder(ImageDecodeOptions? options = null)
    {
        _options = options ?? new ImageDecodeOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxBytes, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(_options.MaxBytes, Array.MaxLength, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxPixels, 1L, nameof(options));
        if (_options.MaxDecodeSide is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxDecodeSide, "MaxDecodeSide must be positive.");
        }
    }

    /// <summary>The limits this decoder applies.</summary>
    public ImageDecodeOptions Options => _options;

    /// <summary>
    /// Runs every check <see cref="Decode(ReadOnlySpan{byte})"/> runs before decoding — size, signature, header,
    /// declared pixel count, completeness — without decoding pixels.
    /// </summary>
    /// <returns>The image's header.</returns>
    /// <exception cref="ImageDecodeException">The bytes are refused; <see cref="ImageDecodeException.Kind"/> says why.</exception>
    public ImageHeader Validate(ReadOnlySpan<byte> data)
    {
        if (data.Length > _options.MaxBytes)
        {
            throw new ImageDecodeException(ImageErrorKind.TooManyBytes, $"The image is larger than the {_options.MaxBytes:N0} bytes accepted ({data.Length:N0} bytes).");
        }

        var error = ImageHeaderReader.Read(data, out var header);
        if (error is not null)
        {
            throw error;
        }

        if (header.PixelCount > _options.MaxPixels)
        {
            throw new ImageDecodeException(
                ImageErrorKind.TooLarge,
                $"The {ImageError.Name(header.Format)} image declares {header.Width}x{header.Height} = {header.PixelCount:N0} pixels; at most {_options.MaxPixels:N0} are accepted.");
        }

        var bufferPixels = ImageHeaderReader.DecodeBufferPixels(header, data);
        if (bufferPixels > _options.MaxPixels)
        {
            throw new ImageDecodeException(
                ImageErrorKind.TooLarge,
                $"The {ImageError.Name(header.Format)} image declares strips or tiles of {bufferPixels:N0} pixels; at most {_options.MaxPixels:N0} are accepted.");
        }

        error = ImageHeaderReader.CheckComplete(header.Format, data);
        if (error is not null)
        {
            throw error;
        }

        return header;
    }

    /// <summary>Decodes an encoded image into a new upright 8-bit BGR image, which the caller disposes.</summary>
    /// <exception cref="ImageDecodeException">The bytes are refused; <see cref="ImageDecodeException.Kind"/> says why.</exception>
    public Mat Decode(ReadOnlySpan<byte> data)
    {
        var header = Validate(data);
        return Decode(data, header, ReadMode(header));
    }

    /// <summary>
    /// Decodes an encoded image as small as it can while its longer side stays at least <paramref name="keepSide"/>
    /// pixels: a JPEG at 1/2, 1/4 or 1/8 scale (see <see cref="ReductionFactor"/>), which libjpeg does in the DCT
    /// domain, faster and into less memory than a full decode; other formats, and JPEGs too small to reduce, at full
    /// size. <see cref="ImageDecodeOptions.MaxDecodeSide"/> does not apply.
    /// </summary>
    /// <exception cref="ImageDecodeException">The bytes are refused; <see cref="ImageDecodeException.Kind"/> says why.</exception>
    public ReducedImage DecodeReduced(ReadOnlySpan<byte> data, int keepSide)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keepSide, 1);
        var header = Validate(data);
        var (width, height) = header.SwapsAxes ? (header.Height, header.Width) : (header.Width, header.Height);
        var factor = header.Format == ImageFormat.Jpeg ? ReductionFactor(width, height, keepSide) : 1;
        var mode = factor switch
        {
            1 => header.Format == ImageFormat.Jpeg ? ImreadModes.Color | ImreadModes.IgnoreOrientation : ImreadModes.Unchanged,
            2 => ImreadModes.ReducedColor2 | ImreadModes.IgnoreOrientation,
            4 => ImreadModes.ReducedColor4 | ImreadModes.IgnoreOrientation,
            _ => ImreadModes.ReducedColor8 | ImreadModes.IgnoreOrientation,
        };
        return new ReducedImage(Decode(data, header, mode), factor, width, height);
    }

    /// <summary>
    /// The largest JPEG scale-down — 1, 2, 4 or 8 — after which an image of <paramref name="width"/> ×
    /// <paramref name="height"/> still has a longer side of at least <paramref name="keepSide"/> pixels (libjpeg
    /// rounds reduced sizes up); 1 when the image is smaller than twice that.
    /// </summary>
    public static int ReductionFactor(int width, int height, int keepSide)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepSide, 1);
        var side = Math.Max(width, height);
        var factor = 8;
        while (factor > 1 && (side + factor - 1) / factor < keepSide)
        {
            factor /= 2;
        }

        return factor;
    }

    private static Mat Decode(ReadOnlySpan<byte> data, ImageHeader header, ImreadModes mode)
    {
        Mat decoded;
        try
        {
            decoded = Cv2.ImDecode(data, mode);
        }
        catch (OpenCvSharpException exception)
        {
            throw ImageError.Corrupt(header.Format, $"the decoder failed ({exception.Message})", exception);
        }

        if (decoded.Empty())
        {
            decoded.Dispose();
            throw ImageError.Corrupt(header.Format, "its compressed data could not be decoded");
        }

        return BgrConversion.ToUprightBgr(decoded, header);
    }

    /// <summary>
    /// Reads a stream to its end (at most <see cref="ImageDecodeOptions.MaxBytes"/> + 1 bytes) and decodes it.
    /// </summary>
    /// <exception cref="ImageDecodeException">The bytes are refused; <see cref="ImageDecodeException.Kind"/> says why.</exception>
    public Mat Decode(Stream stream, CancellationToken cancellationToken = default)
    {
        var data = BoundedStreamReader.Read(stream, _options.MaxBytes, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return Decode(data.AsSpan());
    }

    /// <summary>
    /// Reads a stream asynchronously to its end (at most <see cref="ImageDecodeOptions.MaxBytes"/> + 1 bytes), then
    /// decodes it on the calling thread.
    /// </summary>
    /// <exception cref="ImageDecodeException">The bytes are refused; <see cref="ImageDecodeException.Kind"/> says why.</exception>
    public async Task<Mat> DecodeAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var data = await BoundedStreamReader.ReadAsync(stream, _options.MaxBytes, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return Decode(data.AsSpan());
    }

    // JPEG: OpenCV converts gray and CMYK to BGR itself and can scale in the DCT domain; orientation is applied by
    // BgrConversion from our own EXIF reading, so the header and the pixels always agree. Other formats: unchanged,
    // so that 16-bit samples and alpha reach BgrConversion intact.
    private ImreadModes ReadMode(ImageHeader header)
    {
        if (header.Format != ImageFormat.Jpeg)
        {
            return ImreadModes.Unchanged;
        }

        var side = Math.Max(header.Width, header.Height);
        var limit = _options.MaxDecodeSide ?? int.MaxValue;
        var mode = side <= limit ? ImreadModes.Color
            : side <= 2L * limit ? ImreadModes.ReducedColor2
            : side <= 4L * limit ? ImreadModes.ReducedColor4
            : ImreadModes.ReducedColor8;
        return mode | ImreadModes.IgnoreOrientation;
    }
}
