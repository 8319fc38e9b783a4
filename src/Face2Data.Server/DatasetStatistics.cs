using Face2Data.Datasets;
using Face2Data.Schema;
using Face2Data.Server.Contracts;
using Microsoft.Extensions.Options;

namespace Face2Data.Server;

/// <summary>
/// The label distributions of the dataset named by <see cref="ServerOptions.DatasetPath"/> (a UTKFace folder or
/// archive, or an attribute CSV), counted once on first use by <see cref="Datasets.DatasetStatistics"/>. Only file
/// names and labels are read, never the images.
/// </summary>
internal sealed class DatasetStatistics
{
    /// <summary>Width of a regression head's bins, in its unit.</summary>
    public const int BinWidth = 10;

    private readonly Lazy<DatasetResponse?> _statistics;

    /// <summary>Creates the service; nothing is read until <see cref="Get"/>.</summary>
    public DatasetStatistics(IOptions<ServerOptions> options)
    {
        var path = options.Value.DatasetPath;
        _statistics = new Lazy<DatasetResponse?>(() => string.IsNullOrWhiteSpace(path) ? null : Count(FaceDatasets.Open(path), path), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The distributions, or null when no dataset is configured.</summary>
    /// <exception cref="IOException">The dataset cannot be read.</exception>
    /// <exception cref="InvalidDataException">The dataset is malformed.</exception>
    public DatasetResponse? Get() => _statistics.Value;

    /// <summary>Counts a dataset's labels: classes in order, regression values in bins of <see cref="BinWidth"/>.</summary>
    public static DatasetResponse Count(IFaceDataset dataset, string path)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var statistics = Datasets.DatasetStatistics.From(dataset, head => ValueBins.Steps(head, BinWidth));
        var heads = statistics.Heads.Select(h => new DistributionResponse(
            h.Head.Name,
            h.Head.Kind,
            h.Head.Kind == HeadKind.Categorical
                ? h.Head.Classes.Select((label, c) => new BinResponse(label, h.ClassCounts[c])).ToList()
                : h.Bins!.Labels.Select((label, b) => new BinResponse(label, h.BinCounts[b])).ToList(),
            h.Unknown)).ToList();
        return new DatasetResponse(Path.GetFileName(Path.TrimEndingDirectorySeparator(path)), dataset.Samples.Count, heads);
    }
}
