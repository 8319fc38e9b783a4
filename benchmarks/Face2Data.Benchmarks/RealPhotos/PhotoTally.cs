using System.Globalization;
using Face2Data.Reporting;
using Face2Data.Reporting.Evaluation;

namespace Face2Data.Benchmarks.RealPhotos;

/// <summary>
/// The benchmark's row for one run over a labelled set, read from <see cref="PhotoEvaluator"/>'s predictions and the
/// evaluation report built from them: faces found, accuracies over all labelled photos (a photo without a face found
/// counting as wrong), age MAE over the faces found, the median time per photo.
/// </summary>
internal sealed class PhotoTally
{
    private readonly PredictionSet _predictions;
    private readonly EvaluationReport _report;
    private readonly IReadOnlyList<double> _ms;

    public PhotoTally(PhotoPredictions photos)
    {
        ArgumentNullException.ThrowIfNull(photos);
        _predictions = photos.Predictions;
        _report = EvaluationReport.From(_predictions, "benchmark", "photos", "all");
        _ms = photos.Milliseconds;
    }

    /// <summary>Photos where a face was analysed, as a fraction of all.</summary>
    public string Found => Fraction(_predictions.Count - _predictions.NoFaceCount, _predictions.Count);

    /// <summary>Gender accuracy over all photos (no face found is wrong).</summary>
    public string Gender => Accuracy("gender");

    public string Women => GenderGroup("female");

    public string Men => GenderGroup("male");

    public string Race => Accuracy("race");

    public string AgeMae => _report.Regression.FirstOrDefault(h => h.Head == "age") is { Metrics.Count: > 0 } age
        ? age.Metrics.Mae.ToString("F2", CultureInfo.InvariantCulture)
        : "–";

    public double MedianMs => _ms.Count == 0 ? double.NaN : _ms.Order().ElementAt(_ms.Count / 2);

    private string Accuracy(string head) => _report.Categorical.FirstOrDefault(h => h.Head == head) is { } evaluation && !double.IsNaN(evaluation.Accuracy)
        ? evaluation.Accuracy.ToString("F3", CultureInfo.InvariantCulture)
        : "–";

    // Gender accuracy over the photos of one true gender (no face found is wrong).
    private string GenderGroup(string label)
    {
        var head = _predictions.Schema.IndexOf("gender");
        var index = head < 0 ? -1 : _predictions.Schema.Heads[head].ClassIndex(label);
        if (index < 0)
        {
            return "–";
        }

        var members = Enumerable.Range(0, _predictions.Count).Where(s => _predictions.Truth(head, s) == index).ToArray();
        return Fraction(members.Count(s => _predictions.PredictedClass(head, s) == index), members.Length);
    }

    private static string Fraction(int part, int whole) => whole == 0 ? "–" : ((double)part / whole).ToString("F3", CultureInfo.InvariantCulture);
}
