using Face2Data.Datasets;
using Face2Data.Schema;
using OpenCvSharp;

namespace Face2Data.Datasets.Tests;

public sealed class UtkFaceDatasetTests
{
    // Stored out of name order on purpose, with one name that lacks the race field.
    private static readonly (string Name, byte[] Bytes)[] Files =
    [
        ("9_1_2_20170104020210475.jpg.chip.jpg", TestFiles.Jpeg(1)),
        ("26_0_1_20170116232725357.jpg.chip.jpg", TestFiles.Jpeg(2)),
        ("39_1_20170116174525125.jpg.chip.jpg", TestFiles.Jpeg(3)),
        ("116_1_4_20170112213500903.jpg", TestFiles.Jpeg(4)),
        ("0_0_0_20170110183726390.jpg.chip.jpg", TestFiles.Jpeg(5)),
    ];

    private static readonly string[] SortedGoodNames =
    [
        "0_0_0_20170110183726390.jpg.chip.jpg",
        "116_1_4_20170112213500903.jpg",
        "26_0_1_20170116232725357.jpg.chip.jpg",
        "9_1_2_20170104020210475.jpg.chip.jpg",
    ];

    [Theory]
    [InlineData("25_1_3_20170119171225487.jpg.chip.jpg", 25, 1, 3)]
    [InlineData("0_0_0_20170110183726390.jpg", 0, 0, 0)]
    [InlineData("116_1_4_20170112213500903.jpg.chip.jpg", 116, 1, 4)]
    [InlineData("55_0_0_20170116232725357jpg.chip.jpg", 55, 0, 0)] // a real name that lacks a dot
    [InlineData("007_1_2_20170104020210475.JPG", 7, 1, 2)]
    public void TryParseFileName_reads_age_gender_and_race(string name, int age, int gender, int race)
    {
        Assert.True(UtkFaceDataset.TryParseFileName(name, out var labels));
        Assert.Equal(new float[] { age, gender, race }, labels);
    }

    [Theory]
    [InlineData("39_1_20170116174525125.jpg.chip.jpg")] // no race: one of the three in the real set
    [InlineData("117_0_0_20170116174525125.jpg.chip.jpg")]
    [InlineData("25_2_0_20170116174525125.jpg.chip.jpg")]
    [InlineData("25_0_5_20170116174525125.jpg.chip.jpg")]
    [InlineData("-1_0_0_20170116174525125.jpg.chip.jpg")]
    [InlineData("x_0_0_20170116174525125.jpg.chip.jpg")]
    [InlineData("25_0_0_20170116174525125.png")]
    [InlineData("25_0_0_.jpg")]
    [InlineData("25_0_0_abc.jpg")]
    [InlineData("25_0_0_2017_01.jpg")]
    [InlineData(" 25_0_0_20170116174525125.jpg")]
    [InlineData("2.5_0_0_20170116174525125.jpg")]
    [InlineData("")]
    public void TryParseFileName_rejects_malformed_names(string name)
    {
        Assert.False(UtkFaceDataset.TryParseFileName(name, out var labels));
        Assert.Null(labels);
    }

    [Fact]
    public void Open_reads_a_tar_gz_sorted_by_name_and_reports_skipped_names()
    {
        using var folder = new TempDirectory();
        var archive = Path.Combine(folder.Path, "UTKFace.tar.gz");
        TestFiles.WriteTarGz(archive, "UTKFace", Files);
        var log = new List<string>();

        var dataset = UtkFaceDataset.Open(archive, log.Add);

        Assert.Equal(SortedGoodNames, dataset.Samples.Select(s => s.Id));
        Assert.Equal(new float[] { 116, 1, 4 }, dataset.Samples[1].Labels);
        Assert.Equal(new float[] { 9, 1, 2 }, dataset.Samples[3].Labels);
        Assert.Same(AttributeSchema.UtkFace, dataset.Schema);
        Assert.Equal(archive, dataset.Source);
        Assert.Equal(["39_1_20170116174525125.jpg.chip.jpg"], dataset.SkippedNames);
        var line = Assert.Single(log);
        Assert.Contains("Skipped 1 file(s)", line);
        Assert.Contains("39_1_20170116174525125.jpg.chip.jpg", line);
    }

    [Fact]
    public void ReadImages_yields_archive_bytes_in_sample_order()
    {
        using var folder = new TempDirectory();
        var archive = Path.Combine(folder.Path, "faces.tgz");
        TestFiles.WriteTarGz(archive, "UTKFace", Files);
        var dataset = UtkFaceDataset.Open(archive);

        var images = dataset.ReadImages().ToList();

        Assert.Equal([0, 1, 2, 3], images.Select(i => i.Index));
        var byName = Files.ToDictionary(f => f.Name, f => f.Bytes);
        for (var i = 0; i < images.Count; i++)
        {
            Assert.Equal(byName[dataset.Samples[i].Id], images[i].Bytes);
        }
    }

    [Fact]
    public void Folder_and_archive_of_the_same_files_give_the_same_samples_and_fingerprint()
    {
        using var folder = new TempDirectory();
        foreach (var (name, bytes) in Files)
        {
            folder.Write(Path.Combine("UTKFace", name), bytes);
        }

        folder.Write(Path.Combine("UTKFace", ".hidden_0_0_0.jpg"), [1, 2, 3]);
        var archive = Path.Combine(folder.Path, "UTKFace.tar.gz");
        TestFiles.WriteTarGz(archive, "UTKFace", Files);

        var fromFolder = UtkFaceDataset.Open(Path.Combine(folder.Path, "UTKFace"));
        var fromArchive = UtkFaceDataset.Open(archive);

        Assert.Equal(SortedGoodNames, fromFolder.Samples.Select(s => s.Id));
        Assert.Equal(fromArchive.Samples.Select(s => s.Labels), fromFolder.Samples.Select(s => s.Labels));
        Assert.Equal(fromArchive.SkippedNames, fromFolder.SkippedNames);
        Assert.Equal(fromArchive.Fingerprint, fromFolder.Fingerprint);
        Assert.Equal(16, fromFolder.Fingerprint.Length);
        Assert.Equal(
            fromArchive.ReadImages().Select(i => i.Bytes),
            fromFolder.ReadImages().Select(i => i.Bytes));
    }

    [Fact]
    public void Fingerprint_changes_with_labels_and_file_sizes()
    {
        using var folder = new TempDirectory();
        string Fingerprint(params (string Name, byte[] Bytes)[] files)
        {
            var path = Path.Combine(folder.Path, Guid.NewGuid() + ".tar.gz");
            TestFiles.WriteTarGz(path, "UTKFace", files);
            return UtkFaceDataset.Open(path).Fingerprint;
        }

        var original = Fingerprint(("20_0_0_1.jpg", [1, 2, 3]), ("30_1_2_2.jpg", [4, 5]));
        Assert.Equal(original, Fingerprint(("20_0_0_1.jpg", [1, 2, 3]), ("30_1_2_2.jpg", [4, 5])));
        Assert.NotEqual(original, Fingerprint(("20_0_0_1.jpg", [1, 2, 3]), ("30_1_2_2.jpg", [4, 5, 6])));
        Assert.NotEqual(original, Fingerprint(("20_0_0_1.jpg", [1, 2, 3]), ("30_1_3_2.jpg", [4, 5])));
    }

    [Fact]
    public void Open_rejects_two_images_with_the_same_name()
    {
        using var folder = new TempDirectory();
        folder.Write(Path.Combine("a", "20_0_0_1.jpg"), [1]);
        folder.Write(Path.Combine("b", "20_0_0_1.jpg"), [2]);

        var error = Assert.Throws<InvalidDataException>(() => UtkFaceDataset.Open(folder.Path));

        Assert.Contains("20_0_0_1.jpg", error.Message);
    }

    [Fact]
    public void Open_explains_a_missing_path_and_an_unreadable_archive()
    {
        using var folder = new TempDirectory();
        var missing = Path.Combine(folder.Path, "nothing.tar.gz");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => UtkFaceDataset.Open(missing)).Message);

        var archive = Path.Combine(folder.Path, "cut.tar.gz");
        TestFiles.WriteTarGz(archive, "UTKFace", Files);
        var bytes = File.ReadAllBytes(archive);
        File.WriteAllBytes(archive, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<InvalidDataException>(() => UtkFaceDataset.Open(archive));
        Assert.Contains(archive, error.Message);
    }

    [Fact]
    public void Open_lists_the_shared_UTKFace_archive()
    {
        var dataset = UtkFaceDataset.Open(TestFiles.SharedUtkFaceArchive());

        // Counts from shared/datasets/README.md.
        Assert.Equal(21_416, dataset.Samples.Count);
        Assert.Equal(
            ["39_1_20170116174525125.jpg.chip.jpg", "61_1_20170109142408075.jpg.chip.jpg", "61_1_20170109150557335.jpg.chip.jpg"],
            dataset.SkippedNames);
        Assert.Equal(11_205, dataset.Samples.Count(s => s.Labels[1] == 0));
        Assert.Equal([9_089, 4_098, 3_117, 3_590, 1_522], Enumerable.Range(0, 5).Select(r => dataset.Samples.Count(s => s.Labels[2] == r)));

        foreach (var (index, bytes) in dataset.ReadImages().Take(3))
        {
            Assert.True(UtkFaceDataset.TryParseFileName(dataset.Samples[index].Id, out _));
            using var image = Cv2.ImDecode(bytes, ImreadModes.Color);
            Assert.Equal(new Size(200, 200), image.Size());
        }
    }
}
