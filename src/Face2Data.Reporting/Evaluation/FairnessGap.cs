namespace Face2Data.Reporting.Evaluation;

/// <summary>One head's best and worst group in a <see cref="FairnessTable"/>.</summary>
/// <param name="Head">The head.</param>
/// <param name="Metric"><c>accuracy</c> (higher is better) or <c>mae</c> (lower is better).</param>
/// <param name="Best">The best group's label; empty when no group has a value.</param>
/// <param name="BestValue">Its value.</param>
/// <param name="Worst">The worst group's label.</param>
/// <param name="WorstValue">Its value.</param>
/// <param name="Gap">|best − worst|; <see cref="double.NaN"/> when no group has a value.</param>
public readonly record struct FairnessGap(string Head, string Metric, string Best, double BestValue, string Worst, double WorstValue, double Gap);
