namespace Face2Data.Imaging;

/// <summary>An image that cannot be decoded, with the reason as an <see cref="ImageErrorKind"/>.</summary>
public sealed class ImageDecodeException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Why the image was refused.</param>
    /// <param name="message">What is wrong, in words a user can act on.</param>
    /// <param name="innerException">The native error behind it, if any.</param>
    public ImageDecodeException(ImageErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>Why the image was refused.</summary>
    public ImageErrorKind Kind { get; }
}
