namespace Face2Data.Reporting.Charts;

/// <summary>One metric per epoch, on the training batches and on validation, read from a training history.</summary>
/// <param name="Head">The head the metric is of; empty for the total loss.</param>
/// <param name="Metric"><c>loss</c>, <c>accuracy</c>, <c>mae</c>, <c>rmse</c> or <c>r2</c>.</param>
/// <param name="Epochs">Epoch numbers.</param>
/// <param name="Train">Value per epoch on the training batches (NaN where missing).</param>
/// <param name="Validation">Value per epoch on validation; empty when the history has no validation column.</param>
public sealed record TrainingCurve(string Head, string Metric, IReadOnlyList<double> Epochs, IReadOnlyList<double> Train, IReadOnlyList<double> Validation)
{
    /// <summary>Readable name, such as <c>loss</c> or <c>age MAE</c>.</summary>
    public string Title
    {
        get
        {
            var metric = Metric switch
            {
                "mae" => "MAE",
                "rmse" => "RMSE",
                "r2" => "R²",
                _ => Metric,
            };
            return Head.Length == 0 ? metric : $"{Head} {metric}";
        }
    }
}
