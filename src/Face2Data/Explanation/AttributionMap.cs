using Face2Data.Schema;

namespace Face2Data.Explanation;

/// <summary>
/// How much each region of a face pushed one output of the model: a square grid of attributions over the face
/// crop (row 0 at the top), in the output's unit (probability for a class, the value's unit for a regression head).
/// Positive cells supported the output (removing them lowers it), negative cells worked against it.
/// </summary>
public sealed record AttributionMap
{
    /// <summary>The explained head.</summary>
    public required string Head { get; init; }

    /// <summary>Whether the head is a class or a value.</summary>
    public required HeadKind Kind { get; init; }

    /// <summary>The explained class (categorical heads); null for a regression head, whose value is explained.</summary>
    public string? Class { get; init; }

    /// <summary>How the map was computed.</summary>
    public required AttributionMethod Method { get; init; }

    /// <summary>What removed regions were replaced with.</summary>
    public required AttributionBaseline Baseline { get; init; }

    /// <summary>Cells per side.</summary>
    public required int Grid { get; init; }

    /// <summary>One attribution per cell, row-major (<see cref="Grid"/> × <see cref="Grid"/>).</summary>
    public required float[] Values { get; init; }

    /// <summary>The explained output for the face, f(x).</summary>
    public required double Output { get; init; }

    /// <summary>The explained output for the baseline image, f(baseline).</summary>
    public required double BaselineOutput { get; init; }

    /// <summary>Model evaluations spent (f(x) and f(baseline) included).</summary>
    public required int Evaluations { get; init; }

    /// <summary>SHAP's sample budget; null for occlusion.</summary>
    public int? Samples { get; init; }

    /// <summary>SHAP's sampling seed; null for occlusion.</summary>
    public int? Seed { get; init; }

    /// <summary>Occlusion's patch side in input pixels; null for SHAP.</summary>
    public int? Patch { get; init; }

    /// <summary>Occlusion's stride in input pixels; null for SHAP.</summary>
    public int? Stride { get; init; }

    /// <summary>Side of the model's input the grid covers, in pixels.</summary>
    public required int InputSize { get; init; }

    /// <summary>Time spent computing the map.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>The attribution of the cell at <paramref name="row"/> (from the top), <paramref name="column"/> (from the left).</summary>
    public float this[int row, int column]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(row);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Grid);
            ArgumentOutOfRangeException.ThrowIfNegative(column);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Grid);
            return Values[(row * Grid) + column];
        }
    }

    /// <summary>The sum of all cells; for SHAP it equals <see cref="Output"/> − <see cref="BaselineOutput"/>.</summary>
    public double Sum => Values.Sum(v => (double)v);

    /// <summary>The rows, top first (for JSON).</summary>
    public float[][] Rows() => [.. Enumerable.Range(0, Grid).Select(r => Values.AsSpan(r * Grid, Grid).ToArray())];
}
