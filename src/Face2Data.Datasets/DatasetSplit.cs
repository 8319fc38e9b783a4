using System.Text.Json;
using Face2Data.IO;
using Face2Data.Schema;

namespace Face2Data.Datasets;

/// <summary>
/// A seeded division of a dataset's samples into train, validation and test parts, as ascending sample indices.
/// Saved as JSON with the sample ids of each part, so it survives a dataset that is reordered or grows.
/// </summary>
/// <remarks>
/// Sizes: test = round(n × <see cref="DatasetSplitOptions.TestFraction"/>), validation =
/// round((n − test) × <see cref="DatasetSplitOptions.ValidationFraction"/>) (halves round away from zero), train = the
/// rest. When stratified, these totals are shared among the strata in proportion to their sizes (largest remainder),
/// so the totals stay exact.
/// </remarks>
public sealed class DatasetSplit
{
    private const string FormatName = "face2data-split";
    private const int FormatVersion = 1;
    private const int RegressionBins = 10;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private readonly IReadOnlyList<string> _ids;

    private DatasetSplit(IReadOnlyList<string> ids, string datasetFingerprint, DatasetSplitOptions options, int[] train, int[] validation, int[] test)
    {
        _ids = ids;
        DatasetFingerprint = datasetFingerprint;
        Options = options;
        Train = train;
        Validation = validation;
        Test = test;
    }

    /// <summary>Indices (into the dataset's samples) of the training part, ascending.</summary>
    public IReadOnlyList<int> Train { get; }

    /// <summary>Indices of the validation part, ascending.</summary>
    public IReadOnlyList<int> Validation { get; }

    /// <summary>Indices of the test part, ascending.</summary>
    public IReadOnlyList<int> Test { get; }

    /// <summary>Seed, fractions and stratification the split was made with.</summary>
    public DatasetSplitOptions Options { get; }

    /// <summary>Fingerprint of the dataset the split was made from (as saved, for a loaded split).</summary>
    public string DatasetFingerprint { get; }

    /// <summary>Splits a dataset's samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A fraction is outside [0, 1).</exception>
    /// <exception cref="KeyNotFoundException"><see cref="DatasetSplitOptions.StratifyBy"/> names no head.</exception>
    public static DatasetSplit Create(IFaceDataset dataset, DatasetSplitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new DatasetSplitOptions();
        CheckFraction(options.TestFraction, nameof(options.TestFraction));
        CheckFraction(options.ValidationFraction, nameof(options.ValidationFraction));

        var count = dataset.Samples.Count;
        var testTotal = (int)Math.Round(count * options.TestFraction, MidpointRounding.AwayFromZero);
        var validationTotal = (int)Math.Round((count - testTotal) * options.ValidationFraction, MidpointRounding.AwayFromZero);

        var strata = Strata(dataset, options.StratifyBy);
        var sizes = strata.Select(s => s.Length).ToArray();
        var testCounts = Allocate(testTotal, sizes);
        var validationCounts = Allocate(validationTotal, sizes.Select((size, i) => size - testCounts[i]).ToArray());

        var random = new SplitMix64(unchecked((ulong)options.Seed));
        var train = new List<int>();
        var validation = new List<int>();
        var test = new List<int>();
        for (var s = 0; s < strata.Length; s++)
        {
            var members = strata[s];
            random.Shuffle(members.AsSpan());
            test.AddRange(members.Take(testCounts[s]));
            validation.AddRange(members.Skip(testCounts[s]).Take(validationCounts[s]));
            train.AddRange(members.Skip(testCounts[s] + validationCounts[s]));
        }

        return new DatasetSplit(Ids(dataset), dataset.Fingerprint, options, Sorted(train), Sorted(validation), Sorted(test));
    }

    /// <summary>Writes the split as JSON (atomically): fingerprint, seed, fractions and the sample ids of each part.</summary>
    public void Save(string path)
    {
        var document = new SplitDocument(
            FormatName,
            FormatVersion,
            DatasetFingerprint,
            Options.Seed,
            Options.TestFraction,
            Options.ValidationFraction,
            Options.StratifyBy,
            Train.Select(i => _ids[i]).ToList(),
            Validation.Select(i => _ids[i]).ToList(),
            Test.Select(i => _ids[i]).ToList());
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(document, JsonOptions));
    }

    /// <summary>
    /// Reads a split written by <see cref="Save"/> and maps its sample ids to <paramref name="dataset"/>'s indices.
    /// Samples of the dataset that the split does not name belong to no part.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// The file is not a split, an id is not in the dataset, or an id is in more than one part.
    /// </exception>
    public static DatasetSplit Load(string path, IFaceDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        SplitDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<SplitDocument>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a dataset split file: {e.Message}", e);
        }

        if (document is null || document.Format != FormatName || document.Version != FormatVersion
            || document.Train is null || document.Validation is null || document.Test is null)
        {
            throw new InvalidDataException($"'{path}' is not a {FormatName} file of version {FormatVersion}.");
        }

        var ids = Ids(dataset);
        var indexById = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            indexById[ids[i]] = i;
        }

        var listed = document.Train.Concat(document.Validation).Concat(document.Test).ToList();
        var missing = listed.Where(id => !indexById.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException(
                $"{missing.Count} sample id(s) of split '{path}' are not in dataset '{dataset.Source}', such as: {string.Join(", ", missing.Take(5))}.");
        }

        var repeated = listed.GroupBy(id => id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw new InvalidDataException($"Split '{path}' lists sample '{repeated.Key}' more than once.");
        }

        var options = new DatasetSplitOptions
        {
            Seed = document.Seed,
            TestFraction = document.TestFraction,
            ValidationFraction = document.ValidationFraction,
            StratifyBy = document.StratifyBy,
        };
        return new DatasetSplit(
            ids,
            document.DatasetFingerprint ?? "",
            options,
            Sorted(document.Train.Select(id => indexById[id])),
            Sorted(document.Validation.Select(id => indexById[id])),
            Sorted(document.Test.Select(id => indexById[id])));
    }

    private static IReadOnlyList<string> Ids(IFaceDataset dataset) => dataset.Samples.Select(s => s.Id).ToArray();

    private static int[] Sorted(IEnumerable<int> indices) => indices.Order().ToArray();

    private static void CheckFraction(double fraction, string name)
    {
        if (!(fraction >= 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(name, fraction, "A split fraction must be in [0, 1).");
        }
    }

    // The sample indices of each stratum, strata in ascending key order, indices ascending.
    private static int[][] Strata(IFaceDataset dataset, string? headName)
    {
        if (headName is null)
        {
            return [Enumerable.Range(0, dataset.Samples.Count).ToArray()];
        }

        var headIndex = dataset.Schema.IndexOf(headName);
        var head = dataset.Schema[headName];
        return Enumerable.Range(0, dataset.Samples.Count)
            .GroupBy(i => StratumOf(head, dataset.Samples[i].Labels[headIndex]))
            .OrderBy(g => g.Key)
            .Select(g => g.ToArray())
            .ToArray();
    }

    private static int StratumOf(AttributeHead head, float label)
    {
        if (float.IsNaN(label))
        {
            return -1;
        }

        if (head.Kind == HeadKind.Categorical)
        {
            return (int)label;
        }

        var bin = (int)Math.Floor((label - head.Min) / (head.Max - head.Min) * RegressionBins);
        return Math.Clamp(bin, 0, RegressionBins - 1);
    }

    // Shares total among groups in proportion to their sizes (largest remainder, ties to the earlier group).
    // Integer arithmetic keeps it exact on every machine.
    private static int[] Allocate(int total, int[] sizes)
    {
        long sum = sizes.Sum();
        var counts = new int[sizes.Length];
        if (sum == 0)
        {
            return counts;
        }

        var remainders = new long[sizes.Length];
        var assigned = 0;
        for (var i = 0; i < sizes.Length; i++)
        {
            counts[i] = (int)((long)total * sizes[i] / sum);
            remainders[i] = (long)total * sizes[i] % sum;
            assigned += counts[i];
        }

        var byRemainder = Enumerable.Range(0, sizes.Length).OrderByDescending(i => remainders[i]).ThenBy(i => i);
        foreach (var i in byRemainder.Take(total - assigned))
        {
            counts[i]++;
        }

        return counts;
    }

    private sealed record SplitDocument(
        string? Format,
        int Version,
        string? DatasetFingerprint,
        int Seed,
        double TestFraction,
        double ValidationFraction,
        string? StratifyBy,
        List<string>? Train,
        List<string>? Validation,
        List<string>? Test);
}
