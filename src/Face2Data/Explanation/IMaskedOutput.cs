namespace Face2Data.Explanation;

/// <summary>
/// The explained output (one number) of a model as a function of which input pixels are kept: where a mask is
/// false the pixel comes from a baseline image instead of the input. The attribution methods only see this.
/// </summary>
public interface IMaskedOutput
{
    /// <summary>Side of the square input, in pixels; a mask holds <c>Size × Size</c> values, row-major.</summary>
    int Size { get; }

    /// <summary>
    /// Evaluates the output for each of <c>outputs.Length</c> masks laid end to end in <paramref name="masks"/>
    /// (true = the input's pixel, false = the baseline's), in one batch where the model allows.
    /// </summary>
    void Evaluate(ReadOnlySpan<bool> masks, Span<double> outputs);
}
