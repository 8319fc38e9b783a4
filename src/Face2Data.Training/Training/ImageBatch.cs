using System.Runtime.InteropServices;
using Face2Data.Imaging;
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
    /// The values are written straight into the tensor's native memory: <c>torch.tensor(float[])</c> copies its
    /// array into another managed one, so each step put two arrays of 4.9 MB (64 images of 80 px) on the
    /// large-object heap, bringing a full collection every few steps and with it the finalizer passes that free
    /// TorchSharp's temporaries.
    /// </remarks>
    public static Tensor ToTensor(byte[] pixels, int count, ImagePreprocessing preprocessing)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(preprocessing);
        if (pixels.Length < count * preprocessing.PixelLength)
        {
            throw new ArgumentException("Not enough pixels for the batch.", nameof(pixels));
        }

        var size = preprocessing.Size;
        var tensor = torch.empty([count, 3, size, size], ScalarType.Float32);
        var values = MemoryMarshal.Cast<byte, float>(tensor.bytes);
        for (var i = 0; i < count; i++)
        {
            preprocessing.Normalize(
                pixels.AsSpan(i * preprocessing.PixelLength, preprocessing.PixelLength),
                values.Slice(i * preprocessing.TensorLength, preprocessing.TensorLength));
        }

        return tensor;
    }
}
