using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Training;

/// <summary>
/// Batch augmentation on normalized NCHW tensors, drawn from torch's global generator (seeded by the trainer).
/// Shift and zoom are one affine resampling; pixels pulled in from outside repeat the border, like Keras'
/// <c>fill_mode='nearest'</c>. Cutout fills its square with 0, the dataset mean after normalization.
/// </summary>
public static class Augmentation
{
    /// <summary>Returns an augmented copy of <paramref name="images"/> ([N, C, H, W]).</summary>
    public static Tensor Apply(Tensor images, AugmentationOptions options)
    {
        if (!options.Any)
        {
            return images.alias();
        }

        using var scope = NewDisposeScope();
        var n = images.shape[0];
        var x = images;
        if (options.Flip)
        {
            var flip = (torch.rand(n) < 0.5).view(n, 1, 1, 1);
            x = torch.where(flip, x.flip(3), x);
        }

        if (options.MaxShift > 0 || options.MaxZoom > 0)
        {
            // affine_grid maps output to input coordinates in [-1, 1]: scale s zooms out when s > 1.
            var scale = 1 + ((torch.rand(n) * 2) - 1) * options.MaxZoom;
            var tx = ((torch.rand(n) * 2) - 1) * (2 * options.MaxShift);
            var ty = ((torch.rand(n) * 2) - 1) * (2 * options.MaxShift);
            var zeros = torch.zeros(n);
            var theta = torch.stack([scale, zeros, tx, zeros, scale, ty], 1).view(n, 2, 3);
            var grid = nn.functional.affine_grid(theta, [n, x.shape[1], x.shape[2], x.shape[3]], align_corners: false);
            x = nn.functional.grid_sample(x, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
        }

        if (options.CutoutProbability > 0)
        {
            var h = x.shape[2];
            var w = x.shape[3];
            var half = Math.Max(1, (long)Math.Round(options.CutoutFraction * Math.Min(h, w) / 2));
            var cy = torch.randint(0, h, [n, 1, 1, 1]);
            var cx = torch.randint(0, w, [n, 1, 1, 1]);
            var ys = torch.arange(h).view(1, 1, h, 1);
            var xs = torch.arange(w).view(1, 1, 1, w);
            var apply = (torch.rand(n) < options.CutoutProbability).view(n, 1, 1, 1);
            var mask = (ys - cy).abs() < half & (xs - cx).abs() < half & apply;
            x = x.masked_fill(mask, 0);
        }

        return x.MoveToOuterDisposeScope();
    }
}
