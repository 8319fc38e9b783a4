using Face2Data.Datasets;
using OpenCvSharp;

namespace Face2Data.Benchmarks.HotPaths;

/// <summary>
/// The images the hot-path benchmarks and <c>face2data bench serve</c> use, made in memory from the first UTKFace
/// crops of the archive: one 200×200 face JPEG as stored, and a 1280×720 JPEG photo (quality 90) with three faces
/// of 180, 220 and 260 pixels pasted on a smooth noisy background. Never written into the repository.
/// </summary>
internal sealed record HotPathImages(byte[] FaceJpeg, byte[] PhotoJpeg)
{
    /// <summary>Environment variable naming the dataset for the benchmarks, which BenchmarkDotNet constructs itself.</summary>
    public const string DatasetVariable = "FACE2DATA_BENCH_DATA";

    public const int PhotoWidth = 1280;
    public const int PhotoHeight = 720;

    /// <summary>Where the three faces are pasted in the photo.</summary>
    public static IReadOnlyList<Rect> PhotoFaces { get; } = [new(100, 220, 220, 220), new(560, 120, 180, 180), new(900, 330, 260, 260)];

    /// <summary>Reads the images from the dataset named by <see cref="DatasetVariable"/>, or the default one.</summary>
    public static HotPathImages Load() =>
        Load(Environment.GetEnvironmentVariable(DatasetVariable) is { Length: > 0 } path ? path : BenchmarkPaths.DefaultDataset());

    public static HotPathImages Load(string dataset)
    {
        var crops = UtkFaceDataset.Open(dataset).ReadImages().Take(1 + PhotoFaces.Count).Select(i => i.Bytes).ToList();
        if (crops.Count < 1 + PhotoFaces.Count)
        {
            throw new InvalidDataException($"'{dataset}' holds fewer than {1 + PhotoFaces.Count} images.");
        }

        using var photo = new Mat(PhotoHeight, PhotoWidth, MatType.CV_8UC3);
        Cv2.Randu(photo, Scalar.All(80), Scalar.All(180));
        Cv2.GaussianBlur(photo, photo, new Size(31, 31), 0);
        for (var i = 0; i < PhotoFaces.Count; i++)
        {
            using var crop = Cv2.ImDecode(crops[i + 1], ImreadModes.Color);
            using var scaled = new Mat();
            Cv2.Resize(crop, scaled, PhotoFaces[i].Size, interpolation: InterpolationFlags.Cubic);
            using var target = new Mat(photo, PhotoFaces[i]);
            scaled.CopyTo(target);
        }

        return new HotPathImages(crops[0], photo.ImEncode(".jpg", new ImageEncodingParam(ImwriteFlags.JpegQuality, 90)));
    }
}
