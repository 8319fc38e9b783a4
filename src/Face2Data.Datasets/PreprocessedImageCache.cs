using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.MemoryMappedFiles;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using Face2Data.IO;
using Face2Data.Imaging;
using OpenCvSharp;

namespace Face2Data.Datasets;

/// <summary>
/// Every image of a dataset decoded once and resized with <see cref="ImagePreprocessing.WriteRgbPixels"/> (the
/// function inference uses), stored as N × S × S × 3 bytes of HWC RGB in one memory-mapped file, so training
/// reads pixels without decoding JPEGs each epoch and datasets over 2 GB need no single array.
/// </summary>
/// <remarks>
/// File: a 128-byte header (magic <c>F2DCACHE</c>, version, count, size, resize method, dataset fingerprint; all
/// little-endian), then the images in sample order. Its name is <c>&lt;key&gt;.f2dcache</c>, the key hashing the
/// dataset fingerprint, size and resize method. A build writes a temp file and renames it, so a killed build never
/// leaves a cache that looks valid; temp files of builds whose process is gone are deleted by the next build.
/// Reading (<see cref="Image"/>, <see cref="CopyImages"/>) is safe from several threads; <see cref="Dispose"/> is not.
/// </remarks>
public sealed unsafe class PreprocessedImageCache : IDisposable
{
    /// <summary>Extension of cache files.</summary>
    public const string FileExtension = ".f2dcache";

    private const int HeaderLength = 128;
    private const int FormatVersion = 1;
    private const int FingerprintOffset = 28;
    private const int MaxFingerprintBytes = HeaderLength - FingerprintOffset;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _pixels;
    private bool _disposed;

    private PreprocessedImageCache(string filePath, Header header, bool wasBuilt)
    {
        FilePath = filePath;
        Count = header.Count;
        Size = header.Size;
        Resize = header.Resize;
        Fingerprint = header.Fingerprint;
        WasBuilt = wasBuilt;
        _file = MemoryMappedFile.CreateFromFile(filePath, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* start = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
            _pixels = start + _view.PointerOffset + HeaderLength;
        }
        catch
        {
            _view?.Dispose();
            _file.Dispose();
            throw;
        }
    }

    /// <summary>Path of the cache file.</summary>
    public string FilePath { get; }

    /// <summary>Number of images (the dataset's sample count).</summary>
    public int Count { get; }

    /// <summary>Side of each square image, in pixels.</summary>
    public int Size { get; }

    /// <summary>Interpolation the images were resized with.</summary>
    public ResizeMethod Resize { get; }

    /// <summary>Fingerprint of the dataset the images came from.</summary>
    public string Fingerprint { get; }

    /// <summary>Bytes of one image: Size × Size × 3.</summary>
    public int PixelLength => 3 * Size * Size;

    /// <summary>True when <see cref="LoadOrBuild"/> built the file; false when it reused an existing one.</summary>
    public bool WasBuilt { get; }

    /// <summary>
    /// <c>$XDG_CACHE_HOME/face2data</c>, or <c>~/.cache/face2data</c> when <c>XDG_CACHE_HOME</c> is not set.
    /// </summary>
    public static string DefaultDirectory()
    {
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrWhiteSpace(root))
        {
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        }

        return Path.Combine(root, "face2data");
    }

    /// <summary>
    /// The cache file name for a dataset fingerprint and preprocessing: <c>&lt;key&gt;.f2dcache</c>, the key a hash
    /// of the fingerprint, <see cref="ImagePreprocessing.Size"/> and <see cref="ImagePreprocessing.Resize"/> (mean and
    /// std do not change the stored pixels).
    /// </summary>
    public static string FileNameFor(string datasetFingerprint, ImagePreprocessing preprocessing)
    {
        ArgumentNullException.ThrowIfNull(datasetFingerprint);
        ArgumentNullException.ThrowIfNull(preprocessing);
        var text = $"face2data-cache\n{FormatVersion}\n{datasetFingerprint}\n{preprocessing.Size}\n{preprocessing.Resize}";
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
        return key + FileExtension;
    }

    /// <summary>
    /// Opens the dataset's cache for this preprocessing, building it first when it is missing or not valid.
    /// </summary>
    /// <param name="dataset">The images to cache, in sample order.</param>
    /// <param name="preprocessing">Size and resize method of the stored images.</param>
    /// <param name="cacheDirectory">Folder of cache files; <see cref="DefaultDirectory"/> when null.</param>
    /// <param name="progress">Receives the number of images done while building.</param>
    /// <param name="cancellationToken">Stops a build; the partial file is deleted.</param>
    /// <exception cref="InvalidDataException">An image cannot be decoded; the message names its sample id.</exception>
    public static PreprocessedImageCache LoadOrBuild(
        IFaceDataset dataset,
        ImagePreprocessing preprocessing,
        string? cacheDirectory = null,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(preprocessing);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(preprocessing.Size);
        if (Encoding.UTF8.GetByteCount(dataset.Fingerprint) > MaxFingerprintBytes)
        {
            throw new ArgumentException($"Dataset fingerprints longer than {MaxFingerprintBytes} bytes are not supported.", nameof(dataset));
        }

        var directory = Path.GetFullPath(cacheDirectory ?? DefaultDirectory());
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileNameFor(dataset.Fingerprint, preprocessing));
        var expected = new Header(dataset.Samples.Count, preprocessing.Size, preprocessing.Resize, dataset.Fingerprint);
        if (IsValid(path, expected))
        {
            return new PreprocessedImageCache(path, expected, wasBuilt: false);
        }

        DeleteAbandonedTemps(path);
        Build(dataset, preprocessing, path, expected, progress, cancellationToken);
        return new PreprocessedImageCache(path, expected, wasBuilt: true);
    }

    /// <summary>The HWC RGB bytes of one image; valid until the cache is disposed.</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return new ReadOnlySpan<byte>(_pixels + ((long)index * PixelLength), PixelLength);
    }

    /// <summary>
    /// Copies images one after another into <paramref name="destination"/>, which must hold exactly
    /// <c>indices.Length × PixelLength</c> bytes (a batch).
    /// </summary>
    public void CopyImages(ReadOnlySpan<int> indices, Span<byte> destination)
    {
        if (destination.Length != (long)indices.Length * PixelLength)
        {
            throw new ArgumentException($"Destination must hold {indices.Length} × {PixelLength} bytes, not {destination.Length}.", nameof(destination));
        }

        for (var i = 0; i < indices.Length; i++)
        {
            Image(indices[i]).CopyTo(destination.Slice(i * PixelLength, PixelLength));
        }
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    private static void Build(IFaceDataset dataset, ImagePreprocessing preprocessing, string path, Header header, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var pixelLength = preprocessing.PixelLength;
        var temp = AtomicFile.TempPathFor(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1))
            {
                stream.SetLength(HeaderLength + ((long)header.Count * pixelLength));
                RandomAccess.Write(stream.SafeFileHandle, header.ToBytes(), 0);
                var done = new bool[header.Count];
                var doneCount = 0;

                // Reading stays sequential (one pass of an archive); decoding runs on every core. NoBuffering keeps
                // at most one encoded image per worker in memory.
                var images = Partitioner.Create(dataset.ReadImages(cancellationToken), EnumerablePartitionerOptions.NoBuffering);
                var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
                Parallel.ForEach(images, parallel, () => new byte[pixelLength], (image, _, pixels) =>
                {
                    if ((uint)image.Index >= (uint)header.Count || done[image.Index])
                    {
                        throw new InvalidDataException($"Dataset '{dataset.Source}' yielded image index {image.Index} twice or out of range.");
                    }

                    Decode(dataset.Samples[image.Index].Id, image.Bytes, preprocessing, pixels);
                    RandomAccess.Write(stream.SafeFileHandle, pixels, HeaderLength + ((long)image.Index * pixelLength));
                    done[image.Index] = true;
                    progress?.Report(Interlocked.Increment(ref doneCount));
                    return pixels;
                }, _ => { });

                var missing = Array.IndexOf(done, false);
                if (missing >= 0)
                {
                    throw new InvalidDataException($"Dataset '{dataset.Source}' yielded no image for sample '{dataset.Samples[missing].Id}'.");
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            File.Delete(temp);
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static void Decode(string id, byte[] bytes, ImagePreprocessing preprocessing, Span<byte> destination)
    {
        try
        {
            using var image = bytes.Length == 0 ? new Mat() : Cv2.ImDecode(bytes, ImreadModes.Color);
            if (image.Empty())
            {
                throw new InvalidDataException($"Image '{id}' cannot be decoded ({bytes.Length} bytes); the dataset holds a corrupt or non-image file.");
            }

            preprocessing.WriteRgbPixels(image, destination);
        }
        catch (OpenCVException e)
        {
            throw new InvalidDataException($"Image '{id}' cannot be decoded: {e.Message}", e);
        }
    }

    private static bool IsValid(string path, Header expected)
    {
        var file = new FileInfo(path);
        if (!file.Exists || file.Length != HeaderLength + ((long)expected.Count * 3 * expected.Size * expected.Size))
        {
            return false;
        }

        var bytes = new byte[HeaderLength];
        using (var stream = file.OpenRead())
        {
            stream.ReadExactly(bytes);
        }

        return Header.TryRead(bytes, out var found) && found == expected;
    }

    // Temps are named <cache>.<pid>-<guid>.tmp; one whose process has ended belongs to a killed build.
    private static void DeleteAbandonedTemps(string path)
    {
        foreach (var temp in Directory.EnumerateFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + ".*.tmp"))
        {
            var owner = Path.GetFileName(temp)[(Path.GetFileName(path).Length + 1)..].Split('-')[0];
            if (int.TryParse(owner, out var pid) && !IsRunning(pid))
            {
                File.Delete(temp);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private readonly record struct Header(int Count, int Size, ResizeMethod Resize, string Fingerprint)
    {
        private static ReadOnlySpan<byte> Magic => "F2DCACHE"u8;

        public byte[] ToBytes()
        {
            var bytes = new byte[HeaderLength];
            Magic.CopyTo(bytes);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), FormatVersion);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), Count);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), Size);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(20), (int)Resize);
            var fingerprint = Encoding.UTF8.GetBytes(Fingerprint);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), fingerprint.Length);
            fingerprint.CopyTo(bytes.AsSpan(FingerprintOffset));
            return bytes;
        }

        public static bool TryRead(ReadOnlySpan<byte> bytes, out Header header)
        {
            header = default;
            var fingerprintLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[24..]);
            if (!bytes[..8].SequenceEqual(Magic)
                || BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]) != FormatVersion
                || fingerprintLength is < 0 or > MaxFingerprintBytes)
            {
                return false;
            }

            header = new Header(
                BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]),
                BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]),
                (ResizeMethod)BinaryPrimitives.ReadInt32LittleEndian(bytes[20..]),
                Encoding.UTF8.GetString(bytes.Slice(FingerprintOffset, fingerprintLength)));
            return true;
        }
    }
}
