namespace Face2Data.Reporting;

/// <summary>How far an evaluation has got.</summary>
/// <param name="Stage">What it is doing: <c>caching images</c>, <c>predicting</c> or <c>writing report</c>.</param>
/// <param name="Done">Items of the stage done.</param>
/// <param name="Total">Items of the stage in all.</param>
public readonly record struct EvaluationProgress(string Stage, int Done, int Total);
