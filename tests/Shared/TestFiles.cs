using System.Formats.Tar;
using System.IO.Compression;
using OpenCvSharp;

namespace Face2Data.Testing;

/// <summary>Images, archives and folders that the data tests make for themselves.</summary>
internal static class TestFiles
{
    /// <summary>A small JPEG whose pixels depend on <paramref name="seed"/>, so every image differs.</summary>
    public static byte[] Jpeg(int seed, int width = 24, int height = 20)
    {
        using var image = new Mat(height, width, MatType.CV_8UC3);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image.At<Vec3b>(y, x) = new Vec3b((byte)(x * 10 + seed * 37), (byte)(y * 12 + seed * 11), (byte)((x + y) * 5 + seed * 3));
            }
        }

        Cv2.ImEncode(".jpg", image, out var bytes);
        return bytes;
    }

    /// <summary>Writes a .tar.gz holding the files in the given order, each under <paramref name="folder"/>/.</summary>
    public static void WriteTarGz(string path, string folder, IEnumerable<(string Name, byte[] Bytes)> files)
    {
        using var stream = File.Create(path);
        using var gzip = new GZipStream(stream, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, folder + "/"));
        foreach (var (name, bytes) in files)
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"{folder}/{name}") { DataStream = new MemoryStream(bytes) });
        }
    }

    /// <summary>The repository's <c>../shared/datasets/UTKFace.tar.gz</c>, found from the folder holding Face2Data.slnx.</summary>
    public static string SharedUtkFaceArchive()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Face2Data.slnx")))
        {
            folder = folder.Parent;
        }

        Assert.NotNull(folder);
        return Path.GetFullPath(Path.Combine(folder.FullName, "..", "shared", "datasets", "UTKFace.tar.gz"));
    }
}
