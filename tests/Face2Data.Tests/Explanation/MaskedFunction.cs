using Face2Data.Explanation;

namespace Face2Data.Tests.Explanation;

/// <summary>
/// A known function of which pixels are kept, standing in for a model so the methods can be checked against
/// hand-computed or exact Shapley values. Counts its evaluations.
/// </summary>
internal sealed class MaskedFunction(int size, Func<bool[], double> function) : IMaskedOutput
{
    public int Size { get; } = size;

    public int Evaluations { get; private set; }

    public int Calls { get; private set; }

    /// <summary>f(mask) = Σ weights[p] over the kept pixels.</summary>
    public static MaskedFunction Additive(int size, double[] weights) =>
        new(size, mask => mask.Select((kept, p) => kept ? weights[p] : 0).Sum());

    public void Evaluate(ReadOnlySpan<bool> masks, Span<double> outputs)
    {
        Calls++;
        var plane = Size * Size;
        Assert.Equal(outputs.Length * plane, masks.Length);
        for (var k = 0; k < outputs.Length; k++)
        {
            outputs[k] = function(masks.Slice(k * plane, plane).ToArray());
            Evaluations++;
        }
    }
}
