using Face2Data.Datasets;
using Face2Data.Schema;
using Face2Data.Server;
using Face2Data.Server.Contracts;

namespace Face2Data.Cli.Commands;

/// <summary>
/// Reads a dataset's label distributions for the server's dataset page (<see cref="IDatasetDescriber"/>) with
/// <see cref="Datasets.DatasetStatistics"/>: classes in order, regression values in bins of <see cref="BinWidth"/>.
/// Only file names and labels are read, never the images.
/// </summary>
internal sealed class DatasetDescriber : IDatasetDescriber
{
    /// <summary>Width of a regression head's bins, in its unit.</summary>
    public const int BinWidth = 10;

    /// <inheritdoc />
    public DatasetResponse Describe(string path)
    {
        var dataset = FaceDatasets.Open(path);
        var statistics = DatasetStatistics.From(dataset, head => ValueBins.Steps(head, BinWidth));
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
