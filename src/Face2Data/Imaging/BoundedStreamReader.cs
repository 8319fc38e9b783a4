namespace Face2Data.Imaging;

/// <summary>
/// Reads a stream to its end into memory, but never more than <c>maxBytes + 1</c> bytes: one byte past the
/// limit proves the input too long without buffering the rest of it.
/// </summary>
internal static class BoundedStreamReader
{
    private const int ChunkLength = 81920;

    public static ArraySegment<byte> Read(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[InitialLength(stream, maxBytes)];
        var length = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            buffer = EnsureRoom(buffer, length, maxBytes);
            var read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0)
            {
                return new ArraySegment<byte>(buffer, 0, length);
            }

            length = Count(length, read, maxBytes);
        }
    }

    public static async Task<ArraySegment<byte>> ReadAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[InitialLength(stream, maxBytes)];
        var length = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            buffer = EnsureRoom(buffer, length, maxBytes);
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return new ArraySegment<byte>(buffer, 0, length);
            }

            length = Count(length, read, maxBytes);
        }
    }

    // A seekable stream says how much is left: refuse at once if too much, else size the buffer to fit exactly
    // (plus the byte that lets the final read return 0 without growing it).
    private static int InitialLength(Stream stream, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            return Math.Min(maxBytes + 1, ChunkLength);
        }

        var remaining = Math.Max(0, stream.Length - stream.Position);
        return remaining > maxBytes ? throw TooMany(maxBytes) : (int)remaining + 1;
    }

    private static byte[] EnsureRoom(byte[] buffer, int length, int maxBytes)
    {
        if (length < buffer.Length)
        {
            return buffer;
        }

        Array.Resize(ref buffer, (int)Math.Min(2L * buffer.Length, maxBytes + 1L));
        return buffer;
    }

    private static int Count(int length, int read, int maxBytes) =>
        length + read > maxBytes ? throw TooMany(maxBytes) : length + read;

    private static ImageDecodeException TooMany(int maxBytes) =>
        new(ImageErrorKind.TooManyBytes, $"The image is larger than the {maxBytes:N0} bytes accepted.");
}
