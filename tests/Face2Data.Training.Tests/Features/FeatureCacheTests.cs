using Face2Data.Datasets;
using Face2Data.Schema;
using Face2Data.Training.Features;
using Face2Data.Training.Models;
using Face2Data.Training.Tests.Export;
using Face2Data.Training.Training;
using TorchSharp;

namespace Face2Data.Training.Tests.Features;

/// <summary>
/// <see cref="FeatureCache"/> and <see cref="TrunkFeatureExtractor"/>: the cached features are the trunk's own output,
/// a second call reads them back without running the trunk, augmented views are reproducible, and a file that does
/// not match (damaged, or another trunk's) is never read.
/// </summary>
[Collection(TorchRandomCollection.Name)]
public sealed class FeatureCacheTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("feature-cache-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly AttributeSchema Schema = new([AttributeHead.Categorical("gender", ["male", "female"])]);

    [Fact]
    public void Features_are_the_trunks_output_and_a_second_call_reads_them_back()
    {
        var preprocessing = FaceRecognitionResNet.Preprocessing();
        using var images = PreprocessedImageCache.LoadOrBuild(FeatureTestData.Dataset(Schema, 5, seed: 1), preprocessing, Path.Combine(_folder, "pixels"));
        using var trunk = FeatureTestData.Trunk(_folder, seed: 3);
        using var extractor = new TrunkFeatureExtractor(trunk, preprocessing.Size, trunk.Width, threads: 1);
        var directory = Path.Combine(_folder, "features");
        var plain = FeatureView.List(0, AugmentationOptions.None, 7)[0];

        var computed = new List<int>();
        var first = FeatureCache.LoadOrBuild(extractor, images, preprocessing, plain, directory, new SyncProgressOf(computed.Add));
        var reported = computed.Count;
        var second = FeatureCache.LoadOrBuild(extractor, images, preprocessing, plain, directory, new SyncProgressOf(computed.Add));

        Assert.Equal(5, computed.Last());
        Assert.Equal(reported, computed.Count); // the second call ran nothing
        Assert.Equal(first, second);
        Assert.Single(Directory.GetFiles(directory, "*" + FeatureCache.FileExtension));
        var tensors = Enumerable.Range(0, 5).SelectMany(i => Normalized(images, preprocessing, i)).ToArray();
        using var noGrad = torch.no_grad();
        using var input = torch.tensor(tensors, [5, 3, preprocessing.Size, preprocessing.Size]);
        using var expected = trunk.forward(input);
        ExportTestData.AssertMatchesRelative(expected.data<float>().ToArray(), first, "cached features");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    public void The_frozen_part_then_the_trained_blocks_give_the_whole_networks_features(int levels, int trainedBlocks)
    {
        var preprocessing = FaceRecognitionResNet.Preprocessing();
        using var images = PreprocessedImageCache.LoadOrBuild(FeatureTestData.Dataset(Schema, 3, seed: 5), preprocessing, Path.Combine(_folder, "pixels"));
        using var whole = FeatureTestData.Trunk(_folder, seed: 9, levels);
        using var split = FeatureTestData.Trunk(_folder, seed: 9, levels, trainedBlocks);
        using var wholeExtractor = new TrunkFeatureExtractor(whole, preprocessing.Size, whole.Width, threads: 1);
        using var frozenExtractor = new TrunkFeatureExtractor(split.Frozen, preprocessing.Size, split.FrozenWidth, threads: 1);
        var plain = FeatureView.List(0, AugmentationOptions.None, 1)[0];

        var features = FeatureCache.LoadOrBuild(wholeExtractor, images, preprocessing, plain, Path.Combine(_folder, "f"));
        var frozen = FeatureCache.LoadOrBuild(frozenExtractor, images, preprocessing, plain, Path.Combine(_folder, "f"));
        using var noGrad = torch.no_grad();
        using var frozenTensor = torch.tensor(frozen, [3, split.FrozenWidth]);
        using var completed = split.ForwardTrained(frozenTensor);

        Assert.Equal(whole.Width, split.Width);
        Assert.True(split.FrozenWidth > split.Width, "the frozen part hands over a map");
        ExportTestData.AssertMatchesRelative(features, completed.data<float>().ToArray(), "features through the trained blocks");
    }

    [Fact]
    public void Augmented_views_are_reproducible_and_differ_from_the_plain_view()
    {
        var preprocessing = FaceRecognitionResNet.Preprocessing();
        using var images = PreprocessedImageCache.LoadOrBuild(FeatureTestData.Dataset(Schema, 4, seed: 2), preprocessing, Path.Combine(_folder, "pixels"));
        using var trunk = FeatureTestData.Trunk(_folder, seed: 4);
        using var extractor = new TrunkFeatureExtractor(trunk, preprocessing.Size, trunk.Width, threads: 1);
        var views = FeatureView.List(1, AugmentationOptions.Parse("flip,shift,zoom,rotate,gray,color,blur,jpeg"), 11);

        var plain = FeatureCache.LoadOrBuild(extractor, images, preprocessing, views[0], Path.Combine(_folder, "a"));
        var augmented = FeatureCache.LoadOrBuild(extractor, images, preprocessing, views[1], Path.Combine(_folder, "a"));
        var again = FeatureCache.LoadOrBuild(extractor, images, preprocessing, views[1], Path.Combine(_folder, "b"));

        Assert.Equal(augmented, again);
        Assert.True(ExportTestData.MaxAbsDifference(plain, augmented) > 1e-3f);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_folder, "a")).Length);
    }

    [Fact]
    public void A_damaged_file_or_another_trunks_file_is_not_read()
    {
        var preprocessing = FaceRecognitionResNet.Preprocessing();
        using var images = PreprocessedImageCache.LoadOrBuild(FeatureTestData.Dataset(Schema, 3, seed: 3), preprocessing, Path.Combine(_folder, "pixels"));
        using var trunk = FeatureTestData.Trunk(_folder, seed: 5);
        using var otherTrunk = FeatureTestData.Trunk(_folder, seed: 6);
        using var extractor = new TrunkFeatureExtractor(trunk, preprocessing.Size, trunk.Width, threads: 1);
        using var otherExtractor = new TrunkFeatureExtractor(otherTrunk, preprocessing.Size, otherTrunk.Width, threads: 1);
        var directory = Path.Combine(_folder, "features");
        var plain = FeatureView.List(0, AugmentationOptions.None, 1)[0];
        var original = FeatureCache.LoadOrBuild(extractor, images, preprocessing, plain, directory);
        var file = Assert.Single(Directory.GetFiles(directory));
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes.AsSpan(0, bytes.Length - 8).ToArray());

        var computed = new List<int>();
        var rebuilt = FeatureCache.LoadOrBuild(extractor, images, preprocessing, plain, directory, new SyncProgressOf(computed.Add));
        var other = FeatureCache.LoadOrBuild(otherExtractor, images, preprocessing, plain, directory);

        Assert.NotEmpty(computed);
        Assert.Equal(original, rebuilt);
        Assert.Equal(bytes.Length, new FileInfo(file).Length);
        Assert.NotEqual(extractor.Fingerprint, otherExtractor.Fingerprint);
        Assert.NotEqual(original, other);
        Assert.Equal(2, Directory.GetFiles(directory).Length);
    }

    private static float[] Normalized(PreprocessedImageCache images, Face2Data.Imaging.ImagePreprocessing preprocessing, int index)
    {
        var values = new float[preprocessing.TensorLength];
        preprocessing.Normalize(images.Image(index), values);
        return values;
    }

    private sealed class SyncProgressOf(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
