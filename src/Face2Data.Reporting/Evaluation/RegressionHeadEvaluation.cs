namespace Face2Data.Reporting.Evaluation;

/// <summary>How well a regression head did.</summary>
/// <param name="Head">The head's name.</param>
/// <param name="Unit">Unit of its values, such as <c>years</c>; may be empty.</param>
/// <param name="Metrics">MAE, RMSE, R² and mean error, over the samples with a face found.</param>
/// <param name="ByBin">MAE per bin of the true value (<see cref="Schema.ValueBins.For"/>).</param>
/// <param name="Unknown">Samples left out because their true value is unknown.</param>
/// <param name="NoFace">Labelled photos left out because no face was found in them.</param>
public sealed record RegressionHeadEvaluation(string Head, string Unit, RegressionMetrics Metrics, IReadOnlyList<BinError> ByBin, int Unknown, int NoFace = 0);
