namespace Face2Data.Reporting.Evaluation;

/// <summary>
/// A grouping of the samples that is no head of the model, such as a CSV's <c>ethnicity</c> column: one value per
/// sample of a <see cref="PredictionSet"/>, in its order; an empty value means the group is unknown.
/// </summary>
/// <param name="Name">The grouping's name, such as <c>ethnicity</c>.</param>
/// <param name="Values">One group label per sample.</param>
public sealed record GroupColumn(string Name, IReadOnlyList<string> Values);
