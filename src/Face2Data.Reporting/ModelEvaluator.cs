using Face2Data.Reporting.Evaluation;
using System.Diagnostics;
using Face2Data.Reporting.Charts;
using Face2Data.Datasets;
using Face2Data.Inference;
using Face2Data.Schema;

namespace Face2Data.Reporting;

/// <summary>
/// Evaluates an exported model, run by ONNX Runtime exactly as it is deployed, on samples of a labelled dataset: the
/// images come from the preprocessed cache (the model's preprocessing), predictions are compared with the labels of
/// every head the model and the dataset share.
/// </summary>
public sealed class ModelEvaluator
{
    /// <summary>Stage of <see cref="EvaluationProgress"/> while the image cache is built.</summary>
    public const string CachingStage = "caching images";

    /// <summary>Stage of <see cref="EvaluationProgress"/> while the model runs.</summary>
    public const string PredictingStage = "predicting";

    /// <summary>Stage of <see cref="EvaluationProgress"/> while charts and reports are written.</summary>
    public const string WritingStage = "writing report";

    /// <summary>File name of the prediction grid.</summary>
    public const string GridFile = "predictions.png";

    private readonly OnnxFaceModel _model;
    private readonly ModelEvaluatorOptions _options;

    /// <summary>Evaluates <paramref name="model"/> (not disposed by the evaluator).</summary>
    public ModelEvaluator(OnnxFaceModel model, ModelEvaluatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= ModelEvaluatorOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CalibrationBins, 1);
        _model = model;
        _options = options;
    }

    /// <summary>
    /// Evaluates the model on <paramref name="indices"/> (all samples when null) and writes into
    /// <paramref name="outputDirectory"/>: a confusion matrix per categorical head (<c>confusion_&lt;head&gt;.png</c>),
    /// the prediction grid (<see cref="GridFile"/>) and <c>report.json</c>, <c>report.md</c>, <c>report.html</c>.
    /// </summary>
    /// <param name="dataset">The labelled samples.</param>
    /// <param name="indices">Indices of the samples to evaluate, such as a split's test part; null for all.</param>
    /// <param name="selection">Which samples these are, for the report, such as <c>test split of split.json</c>.</param>
    /// <param name="outputDirectory">Folder of the report and charts (created when missing).</param>
    /// <param name="progress">Receives the stage and its progress.</param>
    /// <param name="cancellationToken">Stops the evaluation between batches.</param>
    /// <exception cref="InvalidDataException">The model and the dataset share no head, or a shared head differs.</exception>
    public EvaluationReport Evaluate(
        IFaceDataset dataset,
        IReadOnlyList<int>? indices,
        string selection,
        string outputDirectory,
        IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        var clock = Stopwatch.StartNew();
        indices ??= Enumerable.Range(0, dataset.Samples.Count).ToArray();
        SharedHeads(dataset);
        var total = dataset.Samples.Count;
        using var images = PreprocessedImageCache.LoadOrBuild(
            dataset,
            _model.Manifest.Preprocessing,
            _options.CacheDirectory,
            progress is null ? null : new InlineProgress<int>(done => progress.Report(new EvaluationProgress(CachingStage, done, total))),
            cancellationToken);
        var predictions = Predict(
            dataset,
            images,
            indices,
            progress is null ? null : new InlineProgress<int>(done => progress.Report(new EvaluationProgress(PredictingStage, done, indices.Count))),
            cancellationToken);

        progress?.Report(new EvaluationProgress(WritingStage, 0, 1));
        var manifest = _model.Manifest;
        var report = EvaluationReport.From(predictions, $"{manifest.Name} {manifest.Version}", dataset.Source, selection, _options.CalibrationBins) with
        {
            Architecture = manifest.Architecture,
            InputSize = manifest.Preprocessing.Size,
        };

        Directory.CreateDirectory(outputDirectory);
        var charts = WriteConfusionCharts(report, outputDirectory);

        var faces = PredictionGrid.Write(Path.Combine(outputDirectory, GridFile), predictions, images, _options.Grid);
        charts.Add(new ReportChart($"{faces} faces with true / predicted labels; mistakes in red", GridFile));
        report = report with { Charts = charts, Seconds = clock.Elapsed.TotalSeconds };
        EvaluationReportWriter.Write(report, outputDirectory);
        progress?.Report(new EvaluationProgress(WritingStage, 1, 1));
        return report;
    }

    /// <summary>
    /// Runs the model on the cached images of <paramref name="indices"/> and pairs its outputs with the labels of the
    /// heads the model and the dataset share (in the model's head order).
    /// </summary>
    /// <exception cref="ArgumentException">The cache is not of this dataset and preprocessing, or an index is out of range.</exception>
    /// <exception cref="InvalidDataException">The model and the dataset share no head, or a shared head differs.</exception>
    public PredictionSet Predict(
        IFaceDataset dataset,
        PreprocessedImageCache images,
        IReadOnlyList<int> indices,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(indices);
        var preprocessing = _model.Manifest.Preprocessing;
        if (images.Fingerprint != dataset.Fingerprint || images.Count != dataset.Samples.Count || images.Size != preprocessing.Size)
        {
            throw new ArgumentException($"The image cache ({images.Count} images of {images.Size} px) is not of this dataset at the model's {preprocessing.Size} px.", nameof(images));
        }

        if (indices.Any(i => (uint)i >= (uint)dataset.Samples.Count))
        {
            throw new ArgumentException($"Sample indices must be in [0, {dataset.Samples.Count}).", nameof(indices));
        }

        var shared = SharedHeads(dataset);
        var schema = new AttributeSchema(shared.Select(s => s.Head).ToArray());
        var truth = shared.Select(s => indices.Select(i => dataset.Samples[i].Labels[s.DatasetIndex]).ToArray()).ToArray();
        var outputs = shared.Select(s => new float[indices.Count * s.Head.OutputCount]).ToArray();

        var batchSize = _options.BatchSize;
        var batch = new float[batchSize * preprocessing.TensorLength];
        for (var start = 0; start < indices.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(batchSize, indices.Count - start);
            for (var i = 0; i < count; i++)
            {
                preprocessing.Normalize(images.Image(indices[start + i]), batch.AsSpan(i * preprocessing.TensorLength, preprocessing.TensorLength));
            }

            var result = _model.Predict(batch.AsSpan(0, count * preprocessing.TensorLength), count);
            for (var h = 0; h < shared.Length; h++)
            {
                var width = shared[h].Head.OutputCount;
                result[shared[h].Head.Name].CopyTo(outputs[h].AsSpan(start * width, count * width));
            }

            progress?.Report(start + count);
        }

        return new PredictionSet(schema, indices, indices.Select(i => dataset.Samples[i].Id).ToArray(), truth, outputs);
    }

    // A confusion matrix chart per categorical head, written into the report's folder.
    internal static List<ReportChart> WriteConfusionCharts(EvaluationReport report, string outputDirectory)
    {
        var charts = new List<ReportChart>();
        foreach (var head in report.Categorical)
        {
            var file = $"confusion_{ChartFile.SafeName(head.Head)}.png";
            ConfusionMatrixChart.Write(head.ConfusionMatrix, $"{head.Head}: confusion matrix (colour = share of true class)", Path.Combine(outputDirectory, file));
            charts.Add(new ReportChart($"{head.Head} confusion matrix", file, head.Head));
        }

        return charts;
    }

    // The model's heads that the dataset labels too, with the dataset's head index; a shared name must mean the same head.
    private (AttributeHead Head, int DatasetIndex)[] SharedHeads(IFaceDataset dataset)
    {
        var shared = new List<(AttributeHead, int)>();
        foreach (var head in _model.Schema.Heads)
        {
            var index = dataset.Schema.IndexOf(head.Name);
            if (index < 0)
            {
                continue;
            }

            var labelled = dataset.Schema.Heads[index];
            if (labelled.Kind != head.Kind || (head.Kind == HeadKind.Categorical && !labelled.Classes.SequenceEqual(head.Classes)))
            {
                throw new InvalidDataException(
                    $"Head '{head.Name}' differs: the model predicts {Describe(head)}, the dataset labels {Describe(labelled)}.");
            }

            shared.Add((head, index));
        }

        return shared.Count > 0
            ? shared.ToArray()
            : throw new InvalidDataException(
                $"The model's heads ({string.Join(", ", _model.Schema.Heads.Select(h => h.Name))}) and the dataset's " +
                $"({string.Join(", ", dataset.Schema.Heads.Select(h => h.Name))}) have none in common.");
    }

    private static string Describe(AttributeHead head) =>
        head.Kind == HeadKind.Categorical ? $"classes [{string.Join(", ", head.Classes)}]" : "a regression value";

    // Reports on the calling thread, unlike Progress<T>, so the order of reports is kept.
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
