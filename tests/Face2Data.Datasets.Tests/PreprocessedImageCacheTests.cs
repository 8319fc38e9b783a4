using Face2Data.Datasets;
using Face2Data.Imaging;
using OpenCvSharp;

namespace Face2Data.Datasets.Tests;

public sealed class PreprocessedImageCacheTests
{
    private static readonly ImagePreprocessing Preprocessing = new() { Size = 16 };

    private static byte[][] Images(int count) =>
        Enumerable.Range(0, count).Select(i => TestFiles.Jpeg(i, width: 30 + i, height: 24)).ToArray();

    private static byte[] ExpectedPixels(byte[] jpeg, ImagePreprocessing preprocessing)
    {
        using var image = Cv2.ImDecode(jpeg, ImreadModes.Color);
        return preprocessing.ToRgbPixels(image);
    }

    [Fact]
    public void LoadOrBuild_stores_the_pixels_ImagePreprocessing_gives_for_each_image()
    {
        using var folder = new TempDirectory();
        var images = Images(9);
        var dataset = InMemoryDataset.WithImages(images);
        var reported = new List<int>();

        using var cache = PreprocessedImageCache.LoadOrBuild(dataset, Preprocessing, folder.Path, new SyncProgress(reported.Add));

        Assert.True(cache.WasBuilt);
        Assert.Equal((9, 16, ResizeMethod.Area, 768), (cache.Count, cache.Size, cache.Resize, cache.PixelLength));
        Assert.Equal(dataset.Fingerprint, cache.Fingerprint);
        for (var i = 0; i < images.Length; i++)
        {
            Assert.Equal(ExpectedPixels(images[i], Preprocessing), cache.Image(i).ToArray());
        }

        Assert.Equal(Enumerable.Range(1, 9), reported.Order());
        Assert.Equal(Path.Combine(folder.Path, PreprocessedImageCache.FileNameFor(dataset.Fingerprint, Preprocessing)), cache.FilePath);
        var file = File.ReadAllBytes(cache.FilePath);
        Assert.Equal(128 + (9 * 768), file.Length);
        Assert.Equal("F2DCACHE"u8.ToArray(), file[..8]);
        Assert.Equal([cache.FilePath], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void LoadOrBuild_reuses_a_valid_cache_with_identical_bytes()
    {
        using var folder = new TempDirectory();
        var dataset = InMemoryDataset.WithImages(Images(5));
        byte[] built;
        using (var cache = PreprocessedImageCache.LoadOrBuild(dataset, Preprocessing, folder.Path))
        {
            built = File.ReadAllBytes(cache.FilePath);
        }

        var reads = 0;
        var counting = InMemoryDataset.WithImages(Images(5), _ => reads++);
        using var reloaded = PreprocessedImageCache.LoadOrBuild(counting, Preprocessing, folder.Path);

        Assert.False(reloaded.WasBuilt);
        Assert.Equal(0, reads);
        Assert.Equal(built[128..], Enumerable.Range(0, 5).SelectMany(i => reloaded.Image(i).ToArray()));
    }

    [Fact]
    public void FileNameFor_changes_with_size_resize_method_and_fingerprint_but_not_normalization()
    {
        var name = PreprocessedImageCache.FileNameFor("abc", new ImagePreprocessing { Size = 96 });

        Assert.Matches("^[0-9a-f]{32}\\.f2dcache$", name);
        Assert.Equal(name, PreprocessedImageCache.FileNameFor("abc", new ImagePreprocessing { Size = 96, Mean = [0, 0, 0], Std = [1, 1, 1] }));
        Assert.NotEqual(name, PreprocessedImageCache.FileNameFor("abc", new ImagePreprocessing { Size = 64 }));
        Assert.NotEqual(name, PreprocessedImageCache.FileNameFor("abc", new ImagePreprocessing { Size = 96, Resize = ResizeMethod.Linear }));
        Assert.NotEqual(name, PreprocessedImageCache.FileNameFor("abd", new ImagePreprocessing { Size = 96 }));
    }

    [Fact]
    public void Caches_of_other_sizes_and_methods_live_side_by_side()
    {
        using var folder = new TempDirectory();
        var images = Images(3);
        var dataset = InMemoryDataset.WithImages(images);
        var linear = new ImagePreprocessing { Size = 12, Resize = ResizeMethod.Linear };

        using var area = PreprocessedImageCache.LoadOrBuild(dataset, Preprocessing, folder.Path);
        using var other = PreprocessedImageCache.LoadOrBuild(dataset, linear, folder.Path);

        Assert.True(other.WasBuilt);
        Assert.NotEqual(area.FilePath, other.FilePath);
        Assert.Equal(ExpectedPixels(images[2], linear), other.Image(2).ToArray());
        Assert.Equal(ExpectedPixels(images[2], Preprocessing), area.Image(2).ToArray());
    }

    [Fact]
    public void CopyImages_gathers_a_batch_in_index_order()
    {
        using var folder = new TempDirectory();
        using var cache = PreprocessedImageCache.LoadOrBuild(InMemoryDataset.WithImages(Images(6)), Preprocessing, folder.Path);
        var batch = new byte[3 * cache.PixelLength];

        cache.CopyImages([4, 0, 4], batch);

        Assert.Equal(cache.Image(4).ToArray(), batch[..768]);
        Assert.Equal(cache.Image(0).ToArray(), batch[768..1536]);
        Assert.Equal(cache.Image(4).ToArray(), batch[1536..]);
        Assert.Throws<ArgumentException>(() => cache.CopyImages([1, 2], batch));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.CopyImages([6], new byte[768]));
    }

    [Fact]
    public void Image_after_Dispose_throws()
    {
        using var folder = new TempDirectory();
        var cache = PreprocessedImageCache.LoadOrBuild(InMemoryDataset.WithImages(Images(2)), Preprocessing, folder.Path);

        cache.Dispose();

        Assert.Throws<ObjectDisposedException>(() => cache.Image(0).Length);
    }

    [Fact]
    public void A_corrupt_image_stops_the_build_naming_its_sample_and_leaves_no_file()
    {
        using var folder = new TempDirectory();
        var images = Images(6);
        images[4] = [0xFF, 0xD8, 0xFF, 1, 2, 3];

        var error = Assert.Throws<InvalidDataException>(() =>
            PreprocessedImageCache.LoadOrBuild(InMemoryDataset.WithImages(images), Preprocessing, folder.Path));

        Assert.Contains("'img4.jpg'", error.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void A_cancelled_build_leaves_neither_cache_nor_temp_file()
    {
        using var folder = new TempDirectory();
        using var cancellation = new CancellationTokenSource();
        var dataset = InMemoryDataset.WithImages(Images(40), i =>
        {
            if (i == 20)
            {
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() =>
            PreprocessedImageCache.LoadOrBuild(dataset, Preprocessing, folder.Path, cancellationToken: cancellation.Token));

        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void A_truncated_cache_file_is_rebuilt()
    {
        using var folder = new TempDirectory();
        var images = Images(4);
        var dataset = InMemoryDataset.WithImages(images);
        var path = Path.Combine(folder.Path, PreprocessedImageCache.FileNameFor(dataset.Fingerprint, Preprocessing));
        using (PreprocessedImageCache.LoadOrBuild(dataset, Preprocessing, folder.Path))
        {
        }

        var whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole[..(whole.Length - 100)]);

        using var cache = PreprocessedImageCache.LoadOrBuild(dataset, Preprocessing, folder.Path);

        Assert.True(cache.WasBuilt);
        Assert.Equal(whole, File.ReadAllBytes(path));
        Assert.Equal(ExpectedPixels(images[3], Preprocessing), cache.Image(3).ToArray());
    }

    [Fact]
    public void A_cache_for_other_content_under_the_same_name_is_rebuilt()
    {
        using var folder = new TempDirectory();
        var images = Images(4);
        var dataset = InMemoryDataset.WithImages(images);
        var path = Path.Combine(folder.Path, PreprocessedImageCache.FileNameFor(dataset.Fingerprint, Preprocessing));
        using (PreprocessedImageCache.LoadOrBuild(dataset, Preprocessing, folder.Path))
        {
        }

        var bytes = File.ReadAllBytes(path);
        bytes[28] ^= 1; // first byte of the stored fingerprint
        File.WriteAllBytes(path, bytes);

        using var cache = PreprocessedImageCache.LoadOrBuild(dataset, Preprocessing, folder.Path);

        Assert.True(cache.WasBuilt);
        Assert.Equal(dataset.Fingerprint, cache.Fingerprint);
    }

    [Fact]
    public void A_build_deletes_temp_files_abandoned_by_ended_processes()
    {
        using var folder = new TempDirectory();
        var dataset = InMemoryDataset.WithImages(Images(2));
        var name = PreprocessedImageCache.FileNameFor(dataset.Fingerprint, Preprocessing);
        var abandoned = folder.Write($"{name}.{int.MaxValue}-0123.tmp", new byte[1000]);
        var live = folder.Write($"{name}.{Environment.ProcessId}-4567.tmp", new byte[10]);

        using var cache = PreprocessedImageCache.LoadOrBuild(dataset, Preprocessing, folder.Path);

        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(live));
    }

    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        private readonly object _lock = new();

        public void Report(int value)
        {
            lock (_lock)
            {
                report(value);
            }
        }
    }
}
