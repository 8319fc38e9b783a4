using Face2Data.Core.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Training;

/// <summary>Turns cached pixels into the normalized tensors a model reads, exactly as <see cref="ImagePreprocessing.Normalize"/> does.</summary>
public static class ImageBatch
{
    /// <summary>HWC RGB bytes of <paramref name="count"/> images → normalized float [count, 3, S, S].</summary>
    public static Tensor ToTensor(byte[] pixels, int count, ImagePreprocessing preprocessing)
    {
        var size = preprocessing.Size;
        if (pixels.Length < count * preprocessing.PixelLength)
        {
            throw new ArgumentException("Not enough pixels for the batch.", nameof(pixels));
        }

        using var scope = NewDisposeScope();
        var raw = torch.tensor(pixels, [pixels.Length], ScalarType.Byte)[..(count * preprocessing.PixelLength)]
            .view(count, size, size, 3).permute(0, 3, 1, 2).to(ScalarType.Float32);
        var scale = torch.tensor(preprocessing.Std.Select(s => 1f / (255f * s)).ToArray()).view(1, 3, 1, 1);
        var offset = torch.tensor(preprocessing.Mean.Zip(preprocessing.Std, (m, s) => -m / s).ToArray()).view(1, 3, 1, 1);
        return (raw * scale + offset).contiguous().MoveToOuterDisposeScope();
    }
}
