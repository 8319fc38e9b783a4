using System.Diagnostics;
using Face2Data.Datasets;
using Face2Data.Imaging;
using Face2Data.Inference;
using Face2Data.Reporting.Evaluation;
using Face2Data.Schema;

namespace Face2Data.Reporting;

/// <summary>
/// Evaluates a model on labelled real photos (a labels CSV such as london-faces' or lfw-gender's) through a
/// <see cref="FaceAnalyzer"/>, the path of <c>face2data predict</c>: each photo is decoded, its faces detected, the
/// largest one cut (aligned or by its box, as the analyzer is set up) and analysed. A photo without a face found is
/// counted (<see cref="EvaluationReport.NoFaceCount"/>) and is a wrong answer for every categorical head it is labelled
/// with. The CSV's columns that are no head of the model (London's <c>ethnicity</c>) become groups of fairness tables.
/// </summary>
public sealed class PhotoEvaluator
{
    /// <summary>Stage of <see cref="EvaluationProgress"/> while photos are analysed.</summary>
    public const string AnalysingStage = "analysing photos";

    private readonly FaceAnalyzer _analyzer;
    private readonly int _calibrationBins;

    /// <summary>Evaluates the model of <paramref name="analyzer"/> (not disposed by the evaluator); it should analyse one face per photo.</summary>
    public PhotoEvaluator(FaceAnalyzer analyzer, int calibrationBins = CalibrationError.DefaultBinCount)
    {
        ArgumentNullException.ThrowIfNull(analyzer);
        ArgumentOutOfRangeException.ThrowIfLessThan(calibrationBins, 1);
        _analyzer = analyzer;
        _calibrationBins = calibrationBins;
    }

    /// <summary>
    /// Opens a labels CSV of photos for <paramref name="model"/>: each column named like a head of the model is read as
    /// that head (its classes and value range; an empty cell is unknown, any other value outside them is an error that
    /// names it and its line); the other columns but the image path are groups. A folder means its <c>labels.csv</c>.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such CSV.</exception>
    /// <exception cref="DatasetFormatException">A row is bad or a label is not one of the model's classes.</exception>
    /// <exception cref="InvalidDataException">No column is a head of the model.</exception>
    public static CsvAttributeDataset OpenLabels(string path, AttributeSchema model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(model);
        var csv = Directory.Exists(path) ? Path.Combine(path, "labels.csv") : path;
        if (!File.Exists(csv))
        {
            throw new FileNotFoundException($"No labels CSV at '{csv}'.", csv);
        }

        // Read the header once to learn which of the model's heads the file labels.
        var header = CsvAttributeDataset.ReadHeader(csv);
        var heads = model.Heads.Where(h => header.Contains(h.Name, StringComparer.Ordinal)).ToArray();
        if (heads.Length == 0)
        {
            throw new InvalidDataException(
                $"'{csv}' labels none of the model's heads ({string.Join(", ", model.Heads.Select(h => h.Name))}); its columns are {string.Join(", ", header)}.");
        }

        return CsvAttributeDataset.Open(csv, new CsvAttributeDatasetOptions { Schema = new AttributeSchema(heads), AllowMissingValues = true });
    }

    /// <summary>The CSV's columns that are neither the image path nor a head of the dataset's schema, as groups.</summary>
    public static IReadOnlyList<GroupColumn> Groups(CsvAttributeDataset photos, IReadOnlyList<int>? indices = null)
    {
        ArgumentNullException.ThrowIfNull(photos);
        return photos.Columns
            .Where(c => c != photos.PathColumn && photos.Schema.IndexOf(c) < 0)
            .Select(c =>
            {
                var values = photos.ColumnValues(c);
                return new GroupColumn(c, indices is null ? values : indices.Select(i => values[i]).ToArray());
            })
            .ToArray();
    }

    /// <summary>
    /// Analyses the photos of <paramref name="indices"/> (all when null) and writes the report (report.json, report.md,
    /// report.html) and a confusion matrix per categorical head into <paramref name="outputDirectory"/>.
    /// </summary>
    /// <param name="photos">The labelled photos (<see cref="OpenLabels"/>).</param>
    /// <param name="indices">Which photos; null for all.</param>
    /// <param name="selection">Which photos these are, for the report.</param>
    /// <param name="outputDirectory">Folder of the report and charts (created when missing).</param>
    /// <param name="progress">Receives the stage and its progress.</param>
    /// <param name="cancellationToken">Stops between photos.</param>
    /// <exception cref="InvalidDataException">A photo cannot be decoded, or a head differs from the model's.</exception>
    public EvaluationReport Evaluate(
        CsvAttributeDataset photos,
        IReadOnlyList<int>? indices,
        string selection,
        string outputDirectory,
        IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(photos);
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        var clock = Stopwatch.StartNew();
        var predictions = Predict(photos, indices, progress, cancellationToken).Predictions;
        progress?.Report(new EvaluationProgress(ModelEvaluator.WritingStage, 0, 1));
        var manifest = _analyzer.Model;
        var report = EvaluationReport.From(predictions, $"{manifest.Name} {manifest.Version}", photos.Source, selection, _calibrationBins, Groups(photos, indices)) with
        {
            Architecture = manifest.Architecture,
            InputSize = manifest.Preprocessing.Size,
        };

        Directory.CreateDirectory(outputDirectory);
        report = report with { Charts = ModelEvaluator.WriteConfusionCharts(report, outputDirectory), Seconds = clock.Elapsed.TotalSeconds };
        EvaluationReportWriter.Write(report, outputDirectory);
        progress?.Report(new EvaluationProgress(ModelEvaluator.WritingStage, 1, 1));
        return report;
    }

    /// <summary>
    /// Analyses each photo and pairs the largest face's outputs with the labels of the dataset's heads; a photo without
    /// a face found is marked so (<see cref="PredictionSet.HasFace"/>). Also times each photo.
    /// </summary>
    /// <exception cref="InvalidDataException">A photo cannot be decoded, or a head differs from the model's.</exception>
    public PhotoPredictions Predict(CsvAttributeDataset photos, IReadOnlyList<int>? indices = null, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(photos);
        indices ??= Enumerable.Range(0, photos.Samples.Count).ToArray();
        var schema = photos.Schema;
        foreach (var head in schema.Heads)
        {
            var index = _analyzer.OnnxModel.Schema.IndexOf(head.Name);
            var own = index < 0 ? null : _analyzer.OnnxModel.Schema.Heads[index];
            if (own is null || own.Kind != head.Kind || (head.Kind == HeadKind.Categorical && !own.Classes.SequenceEqual(head.Classes)))
            {
                throw new InvalidDataException($"Head '{head.Name}' of '{photos.Source}' is not one the model predicts with the same classes.");
            }
        }

        var wanted = new HashSet<int>(indices);
        var position = indices.Select((sample, p) => (sample, p)).ToDictionary(x => x.sample, x => x.p);
        var truth = schema.Heads.Select((_, h) => indices.Select(i => photos.Samples[i].Labels[h]).ToArray()).ToArray();
        var outputs = schema.Heads.Select(h => new float[indices.Count * h.OutputCount]).ToArray();
        var found = new bool[indices.Count];
        var milliseconds = new double[indices.Count];
        var done = 0;
        foreach (var (sample, bytes) in photos.ReadImages(cancellationToken))
        {
            if (!wanted.Contains(sample))
            {
                continue;
            }

            FaceAnalysis analysis;
            try
            {
                analysis = _analyzer.Analyze(bytes);
            }
            catch (ImageDecodeException error)
            {
                throw new InvalidDataException($"Photo '{photos.Samples[sample].Id}' of '{photos.Source}': {error.Message}", error);
            }

            var p = position[sample];
            milliseconds[p] = analysis.Timings.TotalMs;
            if (analysis.Faces.Count > 0)
            {
                found[p] = true;
                var face = analysis.Faces[0];
                for (var h = 0; h < schema.Heads.Count; h++)
                {
                    var head = schema.Heads[h];
                    var prediction = face.Attributes[head.Name];
                    if (head.Kind == HeadKind.Categorical)
                    {
                        for (var c = 0; c < head.Classes.Count; c++)
                        {
                            outputs[h][(p * head.OutputCount) + c] = prediction.Probabilities![head.Classes[c]];
                        }
                    }
                    else
                    {
                        outputs[h][p] = prediction.Value ?? float.NaN;
                    }
                }
            }

            progress?.Report(new EvaluationProgress(AnalysingStage, ++done, indices.Count));
        }

        return new PhotoPredictions(new PredictionSet(schema, indices, indices.Select(i => photos.Samples[i].Id).ToArray(), truth, outputs, found), milliseconds);
    }
}
