using System.Text.Json;
using Face2Data.Datasets;
using Face2Data.Schema;

namespace Face2Data.Datasets.Tests;

public sealed class DatasetSplitTests
{
    [Fact]
    public void Create_gives_the_same_split_for_the_same_seed_and_another_for_another_seed()
    {
        var dataset = InMemoryDataset.WithClasses(500, 2, i => i % 2);

        var first = DatasetSplit.Create(dataset, new DatasetSplitOptions { Seed = 3 });
        var again = DatasetSplit.Create(dataset, new DatasetSplitOptions { Seed = 3 });
        var other = DatasetSplit.Create(dataset, new DatasetSplitOptions { Seed = 4 });

        Assert.Equal(first.Train, again.Train);
        Assert.Equal(first.Validation, again.Validation);
        Assert.Equal(first.Test, again.Test);
        Assert.NotEqual(first.Test, other.Test);
        Assert.NotEqual(first.Validation, other.Validation);
    }

    [Theory]
    [InlineData(7, new[] { 1, 5, 8 }, new[] { 0, 9 }, new[] { 2, 3, 4, 6, 7 })]
    [InlineData(-1, new[] { 2, 3, 4 }, new[] { 5, 7 }, new[] { 0, 1, 6, 8, 9 })]
    public void Create_matches_SplitMix64_Fisher_Yates_computed_independently(int seed, int[] test, int[] validation, int[] train)
    {
        // Expected parts come from a separate Python SplitMix64 + Fisher–Yates, so a change of algorithm
        // (or platform behaviour) shows up here.
        var split = DatasetSplit.Create(InMemoryDataset.WithClasses(10, 2, i => i % 2), new DatasetSplitOptions { Seed = seed });

        Assert.Equal(test, split.Test);
        Assert.Equal(validation, split.Validation);
        Assert.Equal(train, split.Train);
    }

    [Theory]
    [InlineData(1000, 0.3, 0.3, 490, 210, 300)]
    [InlineData(10, 0.3, 0.3, 5, 2, 3)]
    [InlineData(21_416, 0.3, 0.3, 10_494, 4_497, 6_425)]
    [InlineData(7, 0.5, 0.5, 1, 2, 4)] // halves round away from zero
    [InlineData(100, 0, 0.2, 80, 20, 0)]
    public void Create_sizes_parts_by_rounded_fractions_and_covers_every_sample_once(int count, double testFraction, double validationFraction, int train, int validation, int test)
    {
        var split = DatasetSplit.Create(
            InMemoryDataset.WithClasses(count, 2, i => i % 2),
            new DatasetSplitOptions { Seed = 11, TestFraction = testFraction, ValidationFraction = validationFraction });

        Assert.Equal((train, validation, test), (split.Train.Count, split.Validation.Count, split.Test.Count));
        Assert.Equal(Enumerable.Range(0, count), split.Train.Concat(split.Validation).Concat(split.Test).Order());
        Assert.Equal(split.Test.Order(), split.Test);
    }

    [Fact]
    public void Create_stratified_keeps_each_class_proportion_in_every_part()
    {
        // Classes of 600, 300 and 100 samples, interleaved.
        var dataset = InMemoryDataset.WithClasses(1000, 3, i => i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2);

        var split = DatasetSplit.Create(dataset, new DatasetSplitOptions { Seed = 5, StratifyBy = "class" });

        int[] Counts(IReadOnlyList<int> part) =>
            Enumerable.Range(0, 3).Select(c => part.Count(i => dataset.Samples[i].Labels[0] == c)).ToArray();
        Assert.Equal([180, 90, 30], Counts(split.Test));
        Assert.Equal([126, 63, 21], Counts(split.Validation));
        Assert.Equal([294, 147, 49], Counts(split.Train));
        Assert.Equal("class", split.Options.StratifyBy);
    }

    [Fact]
    public void Create_stratified_keeps_exact_totals_when_strata_do_not_divide_evenly()
    {
        var dataset = InMemoryDataset.WithClasses(101, 4, i => i % 4);

        var stratified = DatasetSplit.Create(dataset, new DatasetSplitOptions { Seed = 2, StratifyBy = "class" });
        var plain = DatasetSplit.Create(dataset, new DatasetSplitOptions { Seed = 2 });

        Assert.Equal((plain.Train.Count, plain.Validation.Count, plain.Test.Count), (stratified.Train.Count, stratified.Validation.Count, stratified.Test.Count));
        var testCounts = Enumerable.Range(0, 4).Select(c => stratified.Test.Count(i => i % 4 == c)).ToArray();
        Assert.All(testCounts, n => Assert.InRange(n, 7, 8)); // 30 test samples over strata of 26, 25, 25, 25
        Assert.Equal(30, testCounts.Sum());
    }

    [Fact]
    public void Create_stratifies_a_regression_head_by_bins()
    {
        var schema = new AttributeSchema([AttributeHead.Regression("age", 0, 100)]);
        var samples = Enumerable.Range(0, 200).Select(i => new FaceSample($"{i}.jpg", [i < 100 ? 5 : 95])).ToArray();

        var split = DatasetSplit.Create(new InMemoryDataset(schema, samples), new DatasetSplitOptions { Seed = 1, StratifyBy = "age" });

        Assert.Equal(30, split.Test.Count(i => i < 100));
        Assert.Equal(30, split.Test.Count(i => i >= 100));
    }

    [Fact]
    public void Create_rejects_bad_fractions_and_unknown_heads()
    {
        var dataset = InMemoryDataset.WithClasses(10, 2, i => i % 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSplit.Create(dataset, new DatasetSplitOptions { TestFraction = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSplit.Create(dataset, new DatasetSplitOptions { ValidationFraction = -0.1 }));
        var error = Assert.Throws<KeyNotFoundException>(() => DatasetSplit.Create(dataset, new DatasetSplitOptions { StratifyBy = "race" }));
        Assert.Contains("'race'", error.Message);
    }

    [Fact]
    public void Save_then_Load_gives_the_same_split_even_when_the_dataset_is_reordered()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "splits", "split.json");
        var dataset = InMemoryDataset.WithClasses(50, 2, i => i % 2);
        var split = DatasetSplit.Create(dataset, new DatasetSplitOptions { Seed = 9, TestFraction = 0.2, ValidationFraction = 0.25, StratifyBy = "class" });

        split.Save(path);
        var loaded = DatasetSplit.Load(path, dataset);
        var reversed = new InMemoryDataset(dataset.Schema, dataset.Samples.Reverse().ToArray());
        var loadedReversed = DatasetSplit.Load(path, reversed);

        Assert.Equal(split.Train, loaded.Train);
        Assert.Equal(split.Validation, loaded.Validation);
        Assert.Equal(split.Test, loaded.Test);
        Assert.Equal(split.Options, loaded.Options);
        Assert.Equal(dataset.Fingerprint, loaded.DatasetFingerprint);
        Assert.Equal(split.Test.Select(i => 49 - i).Order(), loadedReversed.Test);
        Assert.Equal(["split.json"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(dataset.Samples[split.Test[0]].Id, json.RootElement.GetProperty("test")[0].GetString());
        Assert.Equal(9, json.RootElement.GetProperty("seed").GetInt32());
    }

    [Fact]
    public void Load_rejects_a_split_naming_samples_the_dataset_lacks()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "split.json");
        var dataset = InMemoryDataset.WithClasses(20, 2, i => i % 2);
        var split = DatasetSplit.Create(dataset, new DatasetSplitOptions { Seed = 1 });
        split.Save(path);
        var missingId = dataset.Samples[split.Validation[0]].Id;
        var smaller = new InMemoryDataset(dataset.Schema, dataset.Samples.Where(s => s.Id != missingId).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => DatasetSplit.Load(path, smaller));

        Assert.Contains($"1 sample id(s) of split '{path}' are not in dataset", error.Message);
        Assert.Contains(missingId, error.Message);
    }

    [Fact]
    public void Load_rejects_files_that_are_not_splits()
    {
        using var folder = new TempDirectory();
        var dataset = InMemoryDataset.WithClasses(4, 2, i => i % 2);
        var notJson = folder.WriteText("a.json", "not json");
        var otherJson = folder.WriteText("b.json", "{\"format\":\"something\",\"version\":1}");
        var twice = folder.WriteText("c.json",
            "{\"format\":\"face2data-split\",\"version\":1,\"train\":[\"img00000.jpg\"],\"validation\":[],\"test\":[\"img00000.jpg\"]}");

        Assert.Contains(notJson, Assert.Throws<InvalidDataException>(() => DatasetSplit.Load(notJson, dataset)).Message);
        Assert.Contains("is not a face2data-split file", Assert.Throws<InvalidDataException>(() => DatasetSplit.Load(otherJson, dataset)).Message);
        Assert.Contains("'img00000.jpg' more than once", Assert.Throws<InvalidDataException>(() => DatasetSplit.Load(twice, dataset)).Message);
    }
}
