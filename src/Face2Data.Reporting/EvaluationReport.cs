using Face2Data.Reporting.Charts;
using Face2Data.Reporting.Evaluation;
using Face2Data.Schema;

namespace Face2Data.Reporting;

/// <summary>
/// Every number of an evaluation: per categorical head a classification report, confusion matrix and calibration
/// error; per regression head MAE, RMSE, R² and MAE per bin; fairness tables; and the charts written beside it.
/// <see cref="EvaluationReportWriter"/> writes it as JSON, Markdown and HTML.
/// </summary>
public sealed record EvaluationReport
{
    /// <summary>Model name and version, such as <c>utkface-f2d 1.0</c>.</summary>
    public required string Model { get; init; }

    /// <summary>Model architecture, such as <c>f2d</c>.</summary>
    public string Architecture { get; init; } = "";

    /// <summary>Side of the model's input, in pixels.</summary>
    public int InputSize { get; init; }

    /// <summary>Where the samples came from (dataset path).</summary>
    public required string Dataset { get; init; }

    /// <summary>Which samples were evaluated, such as <c>test split of runs/a/split.json</c>.</summary>
    public required string Selection { get; init; }

    /// <summary>Number of samples evaluated.</summary>
    public required int SampleCount { get; init; }

    /// <summary>Samples (photos) in which no face was found; 0 for face crops.</summary>
    public int NoFaceCount { get; init; }

    /// <summary>Categorical heads, in schema order.</summary>
    public required IReadOnlyList<CategoricalHeadEvaluation> Categorical { get; init; }

    /// <summary>Regression heads, in schema order.</summary>
    public required IReadOnlyList<RegressionHeadEvaluation> Regression { get; init; }

    /// <summary>Per-group metrics (<see cref="FairnessTable.For"/>).</summary>
    public required IReadOnlyList<FairnessTable> Fairness { get; init; }

    /// <summary>Charts written beside the report.</summary>
    public IReadOnlyList<ReportChart> Charts { get; init; } = [];

    /// <summary>Seconds the evaluation took (inference included), 0 when not measured.</summary>
    public double Seconds { get; init; }

    /// <summary>
    /// Computes every metric of a prediction set. Samples whose truth for a head is unknown are left out of that
    /// head's metrics; photos without a face found count as wrong in accuracies and are left out of the rest.
    /// </summary>
    /// <param name="predictions">Outputs and truth.</param>
    /// <param name="model">Model name and version, for the report's title.</param>
    /// <param name="dataset">Where the samples came from.</param>
    /// <param name="selection">Which samples they are.</param>
    /// <param name="calibrationBins">Confidence bins of the calibration error.</param>
    /// <param name="groups">Extra groupings of the samples for fairness tables (<see cref="FairnessTable.For"/>).</param>
    public static EvaluationReport From(PredictionSet predictions, string model, string dataset, string selection, int calibrationBins = CalibrationError.DefaultBinCount, IReadOnlyList<GroupColumn>? groups = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var categorical = new List<CategoricalHeadEvaluation>();
        var regression = new List<RegressionHeadEvaluation>();
        for (var h = 0; h < predictions.Schema.Heads.Count; h++)
        {
            var head = predictions.Schema.Heads[h];
            var labelled = Enumerable.Range(0, predictions.Count).Where(s => !float.IsNaN(predictions.Truth(h, s))).ToArray();
            var known = labelled.Where(predictions.HasFace).ToArray();
            var unknown = predictions.Count - labelled.Length;
            var noFace = labelled.Length - known.Length;
            if (head.Kind == HeadKind.Categorical)
            {
                var actual = known.Select(s => (int)predictions.Truth(h, s)).ToArray();
                var predicted = known.Select(s => predictions.PredictedClass(h, s)).ToArray();
                var probabilities = known.SelectMany(s => predictions.Output(h, s).ToArray()).ToArray();
                var matrix = ConfusionMatrix.FromLabels(head.Classes, actual, predicted);
                categorical.Add(new CategoricalHeadEvaluation(
                    head.Name,
                    matrix,
                    ClassificationReport.From(matrix),
                    CalibrationError.From(probabilities, head.Classes.Count, actual, calibrationBins),
                    unknown,
                    noFace));
            }
            else
            {
                var actual = known.Select(s => predictions.Truth(h, s)).ToArray();
                var predicted = known.Select(s => predictions.PredictedValue(h, s)).ToArray();
                regression.Add(new RegressionHeadEvaluation(
                    head.Name,
                    head.Unit,
                    RegressionMetrics.From(actual, predicted),
                    BinError.For(ValueBins.For(head), actual, predicted),
                    unknown,
                    noFace));
            }
        }

        return new EvaluationReport
        {
            Model = model,
            Dataset = dataset,
            Selection = selection,
            SampleCount = predictions.Count,
            NoFaceCount = predictions.NoFaceCount,
            Categorical = categorical,
            Regression = regression,
            Fairness = FairnessTable.For(predictions, groups),
        };
    }
}
