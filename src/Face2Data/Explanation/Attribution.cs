namespace Face2Data.Explanation;

/// <summary>What an <see cref="IAttributionMethod"/> computes: one value per grid cell and the outputs it is relative to.</summary>
/// <param name="Cells">One attribution per grid cell, row-major (<c>Grid × Grid</c>).</param>
/// <param name="Output">The output for the unmasked input, f(x).</param>
/// <param name="BaselineOutput">The output for the baseline image (everything masked), f(baseline).</param>
/// <param name="Evaluations">Model evaluations used, both of the above included.</param>
public sealed record Attribution(float[] Cells, double Output, double BaselineOutput, int Evaluations);
