using Face2Data.Datasets;
using Face2Data.Imaging;
using Face2Data.Schema;

namespace Face2Data.Training.Training;

/// <summary>
/// What the trainer reads: the schema, every sample's labels, the train and validation indices, and a way to get
/// the decoded, resized pixels of every sample at a given preprocessing (normally the preprocessing cache).
/// </summary>
public sealed class TrainingData
{
    public required AttributeSchema Schema { get; init; }

    /// <summary>Labels, one row of <c>Schema.Heads.Count</c> values per sample.</summary>
    public required float[] Labels { get; init; }

    public required IReadOnlyList<int> Train { get; init; }

    public required IReadOnlyList<int> Validation { get; init; }

    /// <summary>Pixels of all samples at a preprocessing (HWC RGB uint8, sample order).</summary>
    public required Func<ImagePreprocessing, CancellationToken, PreprocessedImageCache> Images { get; init; }

    /// <summary>Where the data came from, for checkpoints and reports.</summary>
    public string Source { get; init; } = "";

    /// <summary>
    /// Training data for a dataset and its split; <paramref name="schema"/> overrides loss settings of the dataset's
    /// schema (same heads).
    /// </summary>
    public static TrainingData From(IFaceDataset dataset, DatasetSplit split, string? cacheDirectory, AttributeSchema? schema = null, IProgress<int>? cacheProgress = null)
    {
        schema ??= dataset.Schema;
        if (!schema.SameOutputsAs(dataset.Schema))
        {
            throw new ArgumentException("The schema must have the dataset's heads.", nameof(schema));
        }

        var heads = dataset.Schema.Heads.Count;
        var labels = new float[dataset.Samples.Count * heads];
        for (var i = 0; i < dataset.Samples.Count; i++)
        {
            dataset.Samples[i].Labels.AsSpan().CopyTo(labels.AsSpan(i * heads, heads));
        }

        return new TrainingData
        {
            Schema = schema,
            Labels = labels,
            Train = split.Train,
            Validation = split.Validation,
            Images = (preprocessing, ct) => PreprocessedImageCache.LoadOrBuild(dataset, preprocessing, cacheDirectory, cacheProgress, ct),
            Source = dataset.Source,
        };
    }
}
