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

        if (options.MaxShift > 0 || options.MaxZoom > 0)
        {
            // affine_grid maps output to input coordinates in [-1, 1]: scale s zooms out when s > 1.
            var u = Uniform(3 * n);
            var theta = new float[n * 6];
            for (var i = 0; i < n; i++)
            {
                var scale = (float)(1 + (2 * u[i] - 1) * options.MaxZoom);
                var tx = (float)((2 * u[n + i] - 1) * 2 * options.MaxShift);
                var ty = (float)((2 * u[2 * n + i] - 1) * 2 * options.MaxShift);
                theta[6 * i] = scale;
                theta[6 * i + 2] = tx;
                theta[6 * i + 4] = scale;
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
