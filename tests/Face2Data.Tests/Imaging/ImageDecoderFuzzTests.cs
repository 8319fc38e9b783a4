using Face2Data.Imaging;
using OpenCvSharp;
using Xunit.Abstractions;

namespace Face2Data.Tests.Imaging;

/// <summary>
/// Damaged and random inputs, with fixed seeds: each must either decode to an 8-bit BGR image or throw an
/// <see cref="ImageDecodeException"/>; any other exception, a crash or a hang fails the run.
/// </summary>
public sealed class ImageDecoderFuzzTests(ITestOutputHelper output)
{
    private readonly ImageDecoder _decoder = new();

    [Theory]
    [InlineData(".jpg")]
    [InlineData(".png")]
    [InlineData(".gif")]
    [InlineData(".bmp")]
    [InlineData(".webp")]
    [InlineData(".tiff")]
    public void Decode_survives_corrupted_bytes(string extension)
    {
        using var original = new Mat(24, 32, MatType.CV_8UC3);
        Cv2.Randu(original, Scalar.All(0), Scalar.All(255));
        var valid = TestImages.Encode(original, extension);
        var random = new Random(extension.Length * 7919);
        var outcomes = new Dictionary<string, int>();
        for (var trial = 0; trial < 150; trial++)
        {
            var bytes = (byte[])valid.Clone();
            var changes = 1 + random.Next(8);
            for (var i = 0; i < changes; i++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var length = trial % 3 == 0 ? random.Next(1, bytes.Length + 1) : bytes.Length;
            Count(outcomes, Outcome(bytes.AsSpan(0, length)));
        }

        Report(outcomes);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF })]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 })]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 0x00, 0x01, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50 })]
    [InlineData(new byte[] { 0x49, 0x49, 0x2A, 0x00 })]
    [InlineData(new byte[] { 0x42, 0x4D, 0, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 0x28, 0, 0, 0 })]
    public void Decode_survives_random_bytes_after_a_signature(byte[] signature)
    {
        var random = new Random(signature[0] * 31 + signature.Length);
        var outcomes = new Dictionary<string, int>();
        for (var trial = 0; trial < 200; trial++)
        {
            var bytes = new byte[signature.Length + random.Next(0, 3000)];
            random.NextBytes(bytes);
            signature.CopyTo(bytes, 0);
            var outcome = Outcome(bytes);
            Assert.NotEqual(nameof(ImageErrorKind.NotAnImage), outcome);
            Count(outcomes, outcome);
        }

        Report(outcomes);
    }

    private string Outcome(ReadOnlySpan<byte> bytes)
    {
        try
        {
            using var image = _decoder.Decode(bytes);
            Assert.Equal(MatType.CV_8UC3, image.Type());
            Assert.False(image.Empty());
            return "decoded";
        }
        catch (ImageDecodeException error)
        {
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            return error.Kind.ToString();
        }
    }

    private void Report(Dictionary<string, int> outcomes) =>
        output.WriteLine(string.Join(", ", outcomes.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}: {pair.Value}")));

    private static void Count(Dictionary<string, int> outcomes, string outcome) =>
        outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
}
