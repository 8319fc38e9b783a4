namespace Face2Data.Explanation;

/// <summary>
/// The Shapley kernel of KernelSHAP (Lundberg and Lee, 2017): the weight a weighted least-squares fit must give a
/// coalition of <c>s</c> of <c>M</c> features for its solution to be the Shapley values,
/// π(s) = (M − 1) / (C(M, s) · s · (M − s)). The empty and the full coalitions have infinite weight; KernelSHAP
/// turns them into the constraints φ₀ = f(baseline) and Σφ = f(x) − f(baseline).
/// </summary>
public static class ShapleyKernel
{
    /// <summary>The kernel weight of one coalition of <paramref name="size"/> out of <paramref name="features"/> features (infinite for 0 and all).</summary>
    public static double Weight(int features, int size)
    {
        Check(features, size);
        if (size == 0 || size == features)
        {
            return double.PositiveInfinity;
        }

        return Math.Exp(Math.Log(features - 1) - LogBinomial(features, size) - Math.Log(size) - Math.Log(features - size));
    }

    /// <summary>
    /// The kernel weight of all coalitions of <paramref name="size"/> features together, C(M, s) · π(s) =
    /// (M − 1) / (s · (M − s)): KernelSHAP draws coalition sizes in proportion to it.
    /// </summary>
    public static double SizeWeight(int features, int size)
    {
        Check(features, size);
        return size == 0 || size == features ? double.PositiveInfinity : (features - 1.0) / ((double)size * (features - size));
    }

    /// <summary>C(n, k), as a double (exact up to 2⁵³).</summary>
    public static double Binomial(int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, n);
        k = Math.Min(k, n - k);
        double result = 1;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }

        return Math.Round(result);
    }

    private static double LogBinomial(int n, int k)
    {
        k = Math.Min(k, n - k);
        double result = 0;
        for (var i = 1; i <= k; i++)
        {
            result += Math.Log(n - k + i) - Math.Log(i);
        }

        return result;
    }

    private static void Check(int features, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, features);
    }
}
