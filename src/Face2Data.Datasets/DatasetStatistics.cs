using Face2Data.Schema;

namespace Face2Data.Datasets;

/// <summary>Counts and distributions of a dataset's labels, one <see cref="HeadStatistics"/> per head.</summary>
/// <param name="Source">Where the dataset is.</param>
/// <param name="SampleCount">Number of samples.</param>
/// <param name="Heads">Per head, in schema order.</param>
public sealed record DatasetStatistics(string Source, int SampleCount, IReadOnlyList<HeadStatistics> Heads)
{
    /// <summary>Bins of the regression histograms.</summary>
    public const int HistogramBins = 20;

    /// <summary>The statistics of a dataset's labels (reads no image).</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="binsFor">How to bin each regression head (default <see cref="ValueBins.For"/>).</param>
    public static DatasetStatistics From(IFaceDataset dataset, Func<AttributeHead, ValueBins>? binsFor = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        binsFor ??= ValueBins.For;
        var heads = dataset.Schema.Heads.Select((head, h) =>
        {
            var labels = dataset.Samples.Select(s => s.Labels[h]).ToArray();
            return head.Kind == HeadKind.Categorical ? Categorical(head, labels) : Regression(head, labels, binsFor(head));
        }).ToArray();
        return new DatasetStatistics(dataset.Source, dataset.Samples.Count, heads);
    }

    private static HeadStatistics Categorical(AttributeHead head, float[] labels)
    {
        var counts = new int[head.Classes.Count];
        var unknown = 0;
        foreach (var label in labels)
        {
            if (float.IsNaN(label) || label < 0 || label >= counts.Length)
            {
                unknown++;
            }
            else
            {
                counts[(int)label]++;
            }
        }

        return new HeadStatistics { Head = head, Known = labels.Length - unknown, Unknown = unknown, ClassCounts = counts };
    }

    private static HeadStatistics Regression(AttributeHead head, float[] labels, ValueBins bins)
    {
        var known = labels.Where(v => !float.IsNaN(v)).Select(v => (double)v).Order().ToArray();
        var binCounts = new int[bins.Count];
        foreach (var value in known)
        {
            binCounts[bins.IndexOf(value)]++;
        }

        var statistics = new HeadStatistics
        {
            Head = head,
            Known = known.Length,
            Unknown = labels.Length - known.Length,
            Bins = bins,
            BinCounts = binCounts,
        };
        if (known.Length == 0)
        {
            return statistics;
        }

        var mean = known.Average();
        var middle = known.Length / 2;
        return statistics with
        {
            Mean = mean,
            StandardDeviation = Math.Sqrt(known.Sum(v => (v - mean) * (v - mean)) / known.Length),
            Min = known[0],
            Max = known[^1],
            Median = known.Length % 2 == 1 ? known[middle] : (known[middle - 1] + known[middle]) / 2,
            Histogram = Histogram.Of(labels, HistogramBins),
        };
    }
}
