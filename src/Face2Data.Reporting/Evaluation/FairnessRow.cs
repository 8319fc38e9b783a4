namespace Face2Data.Reporting.Evaluation;

/// <summary>One group of a <see cref="FairnessTable"/>: its size and each head's metric on it.</summary>
/// <param name="Group">The group's label, such as <c>black · female</c> or <c>20–30</c>.</param>
/// <param name="Count">Samples in the group.</param>
/// <param name="Values">
/// One value per column of the table: accuracy or MAE over the group's samples whose truth is known;
/// <see cref="double.NaN"/> when none is.
/// </param>
public sealed record FairnessRow(string Group, int Count, IReadOnlyList<double> Values);
