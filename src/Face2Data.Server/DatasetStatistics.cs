using System.Globalization;
using Face2Data.Datasets;
using Face2Data.Schema;
using Face2Data.Server.Contracts;
using Microsoft.Extensions.Options;

namespace Face2Data.Server;

/// <summary>
/// Counts the labels of the dataset named by <see cref="ServerOptions.DatasetPath"/> (a UTKFace folder or archive, or
/// an attribute CSV) once, on first use. Only file names and labels are read, never the images.
/// </summary>
public sealed class DatasetStatistics
{
    /// <summary>Width of a regression head's bins, in its unit.</summary>
    public const int BinWidth = 10;

    private readonly Lazy<DatasetResponse?> _statistics;

    /// <summary>Creates the service; nothing is read until <see cref="Get"/>.</summary>
    public DatasetStatistics(IOptions<ServerOptions> options)
    {
        var path = options.Value.DatasetPath;
        _statistics = new Lazy<DatasetResponse?>(() => string.IsNullOrWhiteSpace(path) ? null : Count(Open(path), path), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The distributions, or null when no dataset is configured.</summary>
    /// <exception cref="IOException">The dataset cannot be read.</exception>
    /// <exception cref="InvalidDataException">The dataset is malformed.</exception>
    public DatasetResponse? Get() => _statistics.Value;

    /// <summary>Counts a dataset's labels.</summary>
    public static DatasetResponse Count(IFaceDataset dataset, string path)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var heads = new List<DistributionResponse>();
        for (var h = 0; h < dataset.Schema.Heads.Count; h++)
        {
            var head = dataset.Schema.Heads[h];
            var labels = dataset.Samples.Select(s => s.Labels[h]).ToList();
            var unknown = labels.Count(float.IsNaN);
            var known = labels.Where(v => !float.IsNaN(v)).ToList();
            var bins = head.Kind == HeadKind.Categorical
                ? head.Classes.Select((label, c) => new BinResponse(label, known.Count(v => (int)v == c))).ToList()
                : RegressionBins(head, known);
            heads.Add(new DistributionResponse(head.Name, head.Kind, bins, unknown));
        }

        return new DatasetResponse(Path.GetFileName(Path.TrimEndingDirectorySeparator(path)), dataset.Samples.Count, heads);
    }

    private static List<BinResponse> RegressionBins(AttributeHead head, List<float> values)
    {
        var low = (int)Math.Floor(head.Min / BinWidth) * BinWidth;
        var bins = new List<BinResponse>();
        for (var start = low; start <= head.Max; start += BinWidth)
        {
            var end = start + BinWidth;
            var last = end > head.Max;
            var count = values.Count(v => v >= start && (v < end || (last && v <= head.Max)));
            var label = string.Create(CultureInfo.InvariantCulture, $"{start}–{(last ? head.Max : end - 1)}");
            bins.Add(new BinResponse(label, count));
        }

        return bins;
    }

    private static IFaceDataset Open(string path) => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
        ? CsvAttributeDataset.Open(path)
        : UtkFaceDataset.Open(path);
}
