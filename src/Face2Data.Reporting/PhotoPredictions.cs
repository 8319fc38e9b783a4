using Face2Data.Reporting.Evaluation;

namespace Face2Data.Reporting;

/// <summary>What <see cref="PhotoEvaluator.Predict"/> got from a set of photos.</summary>
/// <param name="Predictions">The largest face's outputs beside the labels; photos without a face found marked so.</param>
/// <param name="Milliseconds">Per photo, in the predictions' order, the analyzer's time: decoding, detection and the model.</param>
public sealed record PhotoPredictions(PredictionSet Predictions, IReadOnlyList<double> Milliseconds);
