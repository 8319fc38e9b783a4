using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Face2Data.Datasets;
using Face2Data.Imaging;
using Face2Data.IO;
using Face2Data.Training.Training;
using TorchSharp;

namespace Face2Data.Training.Features;

/// <summary>
/// Features of every sample of a dataset as a frozen trunk computes them, one file per <see cref="FeatureView"/>:
/// the trunk runs once per image and view, and head training then reads the files. A file is named by a hash of
/// everything that decides its content (the trunk's fingerprint, the images' fingerprint and preprocessing, the
/// view), carries that description in its header, and is written atomically, so a stopped extraction resumes at the
/// view it was on and a stale or foreign file is rebuilt, never read.
/// </summary>
public static class FeatureCache
{
    /// <summary>File extension of feature files.</summary>
    public const string FileExtension = ".f2dfeat";

    private static readonly byte[] Magic = "F2DFEAT1"u8.ToArray();

    private const int Batch = 64;

    /// <summary>
    /// The features [count × width] of every image of <paramref name="images"/> under <paramref name="view"/>: read from
    /// <paramref name="directory"/> when a matching file is there, otherwise computed and written.
    /// </summary>
    /// <param name="extractor">The frozen trunk.</param>
    /// <param name="images">Every sample's pixels at the trunk's input size.</param>
    /// <param name="preprocessing">How pixels become the trunk's input (its size must be the extractor's).</param>
    /// <param name="view">Plain or augmented pass.</param>
    /// <param name="directory">Folder of feature files.</param>
    /// <param name="progress">Images done so far, when computing.</param>
    /// <param name="cancellationToken">Stops between batches; nothing is written then.</param>
    public static float[] LoadOrBuild(
        TrunkFeatureExtractor extractor, PreprocessedImageCache images, ImagePreprocessing preprocessing, FeatureView view,
        string directory, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(preprocessing);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (preprocessing.Size != extractor.InputSize || images.Size != extractor.InputSize)
        {
            throw new ArgumentException($"The trunk reads {extractor.InputSize} px images; the images are {images.Size} px and the preprocessing {preprocessing.Size} px.", nameof(preprocessing));
        }

        var header = Header(extractor, images, preprocessing, view);
        var path = PathFor(directory, header);
        if (TryRead(path, header, images.Count * extractor.Width) is { } cached)
        {
            return cached;
        }

        var features = Compute(extractor, images, preprocessing, view, progress, cancellationToken);
        Directory.CreateDirectory(directory);
        AtomicFile.Write(path, stream => Write(stream, header, features));
        return features;
    }

    /// <summary>The file <see cref="LoadOrBuild"/> uses for a header.</summary>
    internal static string PathFor(string directory, string header) =>
        Path.Combine(directory, $"features-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(header)))[..16]}{FileExtension}");

    internal static string Header(TrunkFeatureExtractor extractor, PreprocessedImageCache images, ImagePreprocessing preprocessing, FeatureView view) =>
        JsonSerializer.Serialize(new
        {
            format = 1,
            trunk = extractor.Fingerprint,
            width = extractor.Width,
            images = images.Fingerprint,
            count = images.Count,
            preprocessing,
            view = view.Index,
            augmentation = view.Augmentation,
            seed = view.Seed,
        });

    private static float[] Compute(
        TrunkFeatureExtractor extractor, PreprocessedImageCache images, ImagePreprocessing preprocessing, FeatureView view,
        IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var width = extractor.Width;
        var features = new float[images.Count * width];
        var pixels = new byte[Batch * preprocessing.PixelLength];
        var input = new float[Batch * preprocessing.TensorLength];
        var augmented = view.Augmentation.Any;
        if (augmented)
        {
            torch.manual_seed(view.Seed);
        }

        for (var start = 0; start < images.Count; start += Batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(Batch, images.Count - start);
            var indices = Enumerable.Range(start, count).ToArray();
            images.CopyImages(indices, pixels.AsSpan(0, count * preprocessing.PixelLength));
            if (augmented)
            {
                using var scope = torch.NewDisposeScope();
                Augmentation.ApplyToPixels(pixels, count, preprocessing.Size, view.Augmentation);
                var tensor = Augmentation.Apply(ImageBatch.ToTensor(pixels, count, preprocessing), view.Augmentation).contiguous();
                tensor.data<float>().CopyTo(input, 0);
            }
            else
            {
                for (var i = 0; i < count; i++)
                {
                    preprocessing.Normalize(
                        pixels.AsSpan(i * preprocessing.PixelLength, preprocessing.PixelLength),
                        input.AsSpan(i * preprocessing.TensorLength, preprocessing.TensorLength));
                }
            }

            extractor.Run(input, count).CopyTo(features, start * width);
            progress?.Report(start + count);
        }

        return features;
    }

    private static void Write(Stream stream, string header, float[] features)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, json.Length);
        stream.Write(Magic);
        stream.Write(length);
        stream.Write(json);
        stream.Write(MemoryMarshal.AsBytes(features.AsSpan()));
    }

    // The features when the file exists, has this exact header and the expected length; null otherwise (rebuild).
    private static float[]? TryRead(string path, string header, int values)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var json = Encoding.UTF8.GetBytes(header);
        var start = new byte[Magic.Length + 4 + json.Length];
        using var stream = File.OpenRead(path);
        if (stream.Length != start.Length + (4L * values) || stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false) != start.Length
            || !start.AsSpan(0, Magic.Length).SequenceEqual(Magic)
            || BinaryPrimitives.ReadInt32LittleEndian(start.AsSpan(Magic.Length)) != json.Length
            || !start.AsSpan(Magic.Length + 4).SequenceEqual(json))
        {
            return null;
        }

        // Straight into the array the caller keeps: a view of 367 MB is not read into a second buffer first.
        var features = new float[values];
        stream.ReadExactly(MemoryMarshal.AsBytes(features.AsSpan()));
        return features;
    }
}
