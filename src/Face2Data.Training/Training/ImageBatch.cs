using Face2Data.Core.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Training;

/// <summary>Turns cached pixels into the normalized tensors a model reads, with <see cref="ImagePreprocessing.Normalize"/> itself.</summary>
public static class ImageBatch
{
    /// <summary>HWC RGB bytes of <paramref name="count"/> images → normalized float [count, 3, S, S].</summary>
    /// <remarks>
    /// Normalizing in managed code (rather than with tensor arithmetic) makes training and inference share one
    /// function, and keeps this hot spot free of TorchSharp's implicit Scalar temporaries: two long runs aborted
    /// in this method's <c>raw * scale + offset</c> with libtorch's "toFloat" check on the add's alpha.
    /// </remarks>
    public static Tensor ToTensor(byte[] pixels, int count, ImagePreprocessing preprocessing)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        if (pixels.Length < count * preprocessing.PixelLength)
        {
            throw new ArgumentException("Not enough pixels for the batch.", nameof(pixels));
        }

        var size = preprocessing.Size;
        var values = new float[count * preprocessing.TensorLength];
        for (var i = 0; i < count; i++)
        {
            preprocessing.Normalize(
                pixels.AsSpan(i * preprocessing.PixelLength, preprocessing.PixelLength),
                values.AsSpan(i * preprocessing.TensorLength, preprocessing.TensorLength));
        }

        return torch.tensor(values, [count, 3, size, size]);
    }
}
