using OpenCvSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Training;

/// <summary>
/// Batch augmentation on normalized NCHW tensors, drawn from torch's global generator (seeded by the trainer).
/// Shift and zoom are one affine resampling; pixels pulled in from outside repeat the border, like Keras'
/// <c>fill_mode='nearest'</c>. Cutout fills its square with 0, the dataset mean after normalization.
/// </summary>
/// <remarks>
/// The random numbers are drawn as tensors and turned into flip masks, affine matrices and cutout masks in managed
/// code, so no tensor-and-number arithmetic runs here: each such operation makes a temporary TorchSharp
/// <c>Scalar</c> that the finalizer may free while libtorch still reads it. Training runs aborted five times in one
/// 80-minute run in this method's <c>1 + rand * zoom</c> with libtorch's "toFloat" check, right after the batch's
/// large arrays had triggered a collection.
/// </remarks>
public static class Augmentation
{
    /// <summary>Returns an augmented copy of <paramref name="images"/> ([N, C, H, W]).</summary>
    public static Tensor Apply(Tensor images, AugmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Any)
        {
            return images.alias();
        }

        using var scope = NewDisposeScope();
        var n = (int)images.shape[0];
        var h = (int)images.shape[2];
        var w = (int)images.shape[3];
        var x = images;
        if (options.Flip)
        {
            var flip = Uniform(n).Select(u => u < 0.5f).ToArray();
            x = torch.where(torch.tensor(flip, [n, 1, 1, 1]), x.flip(3), x);
        }

        if (options.MaxShift > 0 || options.MaxZoom > 0 || options.MaxRotationDegrees > 0)
        {
            // affine_grid maps output to input coordinates in [-1, 1]: scale s zooms out when s > 1; the rotation
            // turns the sampling grid (the images are square, so normalized coordinates keep angles).
            // The rotation's draws come last and only when it is on, so the other transforms draw as they always did.
            var rotates = options.MaxRotationDegrees > 0;
            var u = Uniform((rotates ? 4 : 3) * n);
            var theta = new float[n * 6];
            for (var i = 0; i < n; i++)
            {
                var scale = 1 + (2 * u[i] - 1) * options.MaxZoom;
                var angle = rotates ? (2 * u[3 * n + i] - 1) * options.MaxRotationDegrees * Math.PI / 180 : 0;
                var tx = (float)((2 * u[n + i] - 1) * 2 * options.MaxShift);
                var ty = (float)((2 * u[2 * n + i] - 1) * 2 * options.MaxShift);
                theta[6 * i] = (float)(scale * Math.Cos(angle));
                theta[6 * i + 1] = (float)(-scale * Math.Sin(angle));
                theta[6 * i + 2] = tx;
                theta[6 * i + 3] = (float)(scale * Math.Sin(angle));
                theta[6 * i + 4] = (float)(scale * Math.Cos(angle));
                theta[6 * i + 5] = ty;
            }

            var grid = nn.functional.affine_grid(torch.tensor(theta, [n, 2, 3]), [n, x.shape[1], h, w], align_corners: false);
            x = nn.functional.grid_sample(x, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
        }

        if (options.CutoutProbability > 0)
        {
            x = x * torch.tensor(CutoutKeep(Uniform(3 * n), n, h, w, options), [n, 1, h, w]);
        }

        return x.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The photometric transforms of <paramref name="options"/> (grayscale, brightness and contrast, blur, a JPEG round
    /// trip), applied in place to <paramref name="count"/> square HWC RGB images of side <paramref name="size"/>, each
    /// with its own draws from torch's global generator. What real photos do to a face that UTKFace's crops do not.
    /// </summary>
    public static void ApplyToPixels(byte[] pixels, int count, int size, AugmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(options);
        var length = size * size * 3;
        if (pixels.Length < count * length)
        {
            throw new ArgumentException("Not enough pixels for the batch.", nameof(pixels));
        }

        if (!options.AnyPhotometric)
        {
            return;
        }

        var u = Uniform(8 * count);
        using var image = new Mat(size, size, MatType.CV_8UC3);
        for (var i = 0; i < count; i++)
        {
            Span<float> draws = u.AsSpan(8 * i, 8);
            var slice = pixels.AsSpan(i * length, length);
            slice.CopyTo(image.AsSpan<byte>());
            Photometric(image, draws, options);
            image.AsSpan<byte>().CopyTo(slice);
        }
    }

    // One image's photometric transforms from its eight draws in [0, 1).
    private static void Photometric(Mat image, ReadOnlySpan<float> u, AugmentationOptions options)
    {
        if (u[0] < options.GrayscaleProbability)
        {
            using var gray = new Mat();
            Cv2.CvtColor(image, gray, ColorConversionCodes.RGB2GRAY);
            Cv2.CvtColor(gray, image, ColorConversionCodes.GRAY2RGB);
        }

        if (options.MaxColorChange > 0)
        {
            var contrast = 1 + ((2 * u[1]) - 1) * options.MaxColorChange;
            var brightness = ((2 * u[2]) - 1) * options.MaxColorChange * 255;
            // About the mid-grey, so contrast does not shift the mean; ConvertTo saturates to 0–255.
            image.ConvertTo(image, -1, contrast, brightness + (128 * (1 - contrast)));
        }

        if (u[3] < options.BlurProbability)
        {
            var sigma = Math.Max(0.3, u[4] * options.MaxBlurSigma);
            Cv2.GaussianBlur(image, image, new OpenCvSharp.Size(0, 0), sigma);
        }

        if (u[5] < options.JpegProbability)
        {
            var quality = options.MinJpegQuality + (int)(u[6] * (95 - options.MinJpegQuality));
            Cv2.ImEncode(".jpg", image, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));
            using var decoded = Cv2.ImDecode(jpeg, ImreadModes.Color);
            decoded.CopyTo(image);
        }
    }

    // 1 outside each image's cutout square, 0 inside; u holds n centre rows, n centre columns, n apply draws.
    private static float[] CutoutKeep(float[] u, int n, int h, int w, AugmentationOptions options)
    {
        var half = Math.Max(1, (int)Math.Round(options.CutoutFraction * Math.Min(h, w) / 2));
        var keep = new float[n * h * w];
        Array.Fill(keep, 1f);
        for (var i = 0; i < n; i++)
        {
            if (u[2 * n + i] >= options.CutoutProbability)
            {
                continue;
            }

            var cy = Math.Min(h - 1, (int)(u[i] * h));
            var cx = Math.Min(w - 1, (int)(u[n + i] * w));
            for (var y = Math.Max(0, cy - half + 1); y < Math.Min(h, cy + half); y++)
            {
                keep.AsSpan(i * h * w + y * w + Math.Max(0, cx - half + 1), Math.Min(w, cx + half) - Math.Max(0, cx - half + 1)).Clear();
            }
        }

        return keep;
    }

    private static float[] Uniform(int count)
    {
        using var u = torch.rand(count);
        return u.data<float>().ToArray();
    }
}
