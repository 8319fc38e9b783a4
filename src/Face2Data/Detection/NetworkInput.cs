using OpenCvSharp;

namespace Face2Data.Detection;

/// <summary>Writes an image into a network's input tensor (shared by the ONNX detectors).</summary>
internal static class NetworkInput
{
    /// <summary>BGR bytes (8-bit, 3 channels) → planar RGB floats (0 to 255), [3, H, W] in row-major order.</summary>
    public static void WritePlanarRgb(Mat bgr, Span<float> chw)
    {
        var (width, height) = (bgr.Width, bgr.Height);
        var plane = width * height;
        var red = chw[..plane];
        var green = chw.Slice(plane, plane);
        var blue = chw.Slice(2 * plane, plane);
        for (var y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row;
            unsafe
            {
                row = new ReadOnlySpan<byte>((byte*)bgr.Ptr(y), width * 3);
            }

            var offset = y * width;
            for (var x = 0; x < width; x++)
            {
                blue[offset + x] = row[3 * x];
                green[offset + x] = row[(3 * x) + 1];
                red[offset + x] = row[(3 * x) + 2];
            }
        }
    }
}
