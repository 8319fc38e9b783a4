using Face2Data.Imaging;

namespace Face2Data.Tests.Imaging;

public sealed class ImageDecoderStreamTests
{
    [Fact]
    public void Decode_reads_a_non_seekable_stream_delivered_in_small_pieces()
    {
        var bytes = TestImages.Encode(40, 20, ".png");
        using var stream = new TrickleStream(bytes, pieceLength: 7);

        using var image = new ImageDecoder().Decode(stream);

        TestImages.AssertBgr(image, 40, 20);
        TestImages.AssertPixel(image, 10, 5, TestImages.Red);
    }

    [Fact]
    public async Task DecodeAsync_reads_a_non_seekable_stream_delivered_in_small_pieces()
    {
        var bytes = TestImages.Encode(40, 20, ".jpg");
        using var stream = new TrickleStream(bytes, pieceLength: 100);

        using var image = await new ImageDecoder().DecodeAsync(stream);

        TestImages.AssertBgr(image, 40, 20);
        TestImages.AssertPixel(image, 10, 34, TestImages.Blue, tolerance: 40);
    }

    [Fact]
    public void Decode_stops_reading_an_endless_stream_one_byte_past_max_bytes()
    {
        var decoder = new ImageDecoder(new ImageDecodeOptions { MaxBytes = 100_000 });
        using var stream = new TrickleStream(null, pieceLength: 4096);

        var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(stream));

        Assert.Equal(ImageErrorKind.TooManyBytes, error.Kind);
        Assert.Equal(100_001, stream.BytesRead);
    }

    [Fact]
    public async Task DecodeAsync_stops_reading_an_endless_stream_one_byte_past_max_bytes()
    {
        var decoder = new ImageDecoder(new ImageDecodeOptions { MaxBytes = 100_000 });
        using var stream = new TrickleStream(null, pieceLength: 4096);

        var error = await Assert.ThrowsAsync<ImageDecodeException>(() => decoder.DecodeAsync(stream));

        Assert.Equal(ImageErrorKind.TooManyBytes, error.Kind);
        Assert.Equal(100_001, stream.BytesRead);
    }

    [Fact]
    public void Decode_refuses_a_seekable_stream_longer_than_max_bytes_without_reading_it()
    {
        var decoder = new ImageDecoder(new ImageDecodeOptions { MaxBytes = 1000 });
        using var stream = new MemoryStream(new byte[1001]);

        var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(stream));

        Assert.Equal(ImageErrorKind.TooManyBytes, error.Kind);
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public void Decode_reads_a_seekable_stream_from_its_current_position()
    {
        byte[] bytes = [.. "prefix"u8, .. TestImages.Encode(40, 20, ".bmp")];
        using var stream = new MemoryStream(bytes) { Position = 6 };

        using var image = new ImageDecoder(new ImageDecodeOptions { MaxBytes = bytes.Length - 6 }).Decode(stream);

        TestImages.AssertBgr(image, 40, 20);
    }

    [Fact]
    public void Decode_refuses_an_empty_stream_as_empty()
    {
        using var stream = new TrickleStream([], pieceLength: 10);

        var error = Assert.Throws<ImageDecodeException>(() => new ImageDecoder().Decode(stream));

        Assert.Equal(ImageErrorKind.Empty, error.Kind);
    }

    [Fact]
    public async Task DecodeAsync_honours_cancellation()
    {
        using var stream = new TrickleStream(TestImages.Encode(40, 20, ".png"), pieceLength: 10);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ImageDecoder().DecodeAsync(stream, cancellation.Token));
        Assert.Throws<OperationCanceledException>(() => new ImageDecoder().Decode(stream, cancellation.Token));
    }

    /// <summary>
    /// A non-seekable stream that hands out its data (or, when null, zeros without end) at most
    /// <c>pieceLength</c> bytes per read, counting what it gave.
    /// </summary>
    private sealed class TrickleStream(byte[]? data, int pieceLength) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var available = data is null ? int.MaxValue : data.Length - (int)BytesRead;
            var length = Math.Min(Math.Min(count, pieceLength), available);
            if (data is null)
            {
                Array.Clear(buffer, offset, length);
            }
            else
            {
                Array.Copy(data, BytesRead, buffer, offset, length);
            }

            BytesRead += length;
            return length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
