namespace Face2Data.Explanation;

/// <summary>
/// KernelSHAP (Lundberg and Lee, 2017) over a grid of the input: each cell is a player; a coalition keeps its cells
/// and replaces the others with the baseline. The Shapley values are estimated by a weighted least-squares fit of
/// f(coalition) − f(baseline) on the coalitions, weighted by the Shapley kernel (<see cref="ShapleyKernel"/>), with
/// the efficiency constraint Σφ = f(x) − f(baseline) enforced exactly (one unknown is eliminated).
/// </summary>
/// <remarks>
/// This is an estimate from a fixed budget (<see cref="KernelShapOptions.Samples"/>), not the exact Shapley
/// values, which would need all 2^(cells) coalitions; it is exact only when the budget covers them all. Coalitions
/// are drawn as in the reference implementation (the <c>shap</c> package): coalition sizes whose every coalition
/// fits the remaining budget at their kernel share are enumerated whole (smallest and largest first), the rest are
/// sampled with sizes in proportion to the kernel, each sample paired with its complement (antithetic), repeats
/// merged. The sampling is seeded, so a seed gives the same map. Costs <c>Samples + 2</c> model evaluations.
/// </remarks>
public sealed class KernelShap : IAttributionMethod
{
    /// <summary>Creates the method; the options are checked against each input's size in <see cref="Explain"/>.</summary>
    public KernelShap(KernelShapOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <inheritdoc />
    public AttributionMethod Method => AttributionMethod.Shap;

    /// <inheritdoc />
    public int Grid => Options.Grid;

    /// <summary>The settings.</summary>
    public KernelShapOptions Options { get; }

    /// <inheritdoc />
    public Attribution Explain(IMaskedOutput output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var size = output.Size;
        Options.Validate(size);
        var plane = size * size;
        var coalitions = Coalitions(Grid * Grid, Options.Samples, Options.Seed);

        var ends = new double[2];
        var endMasks = new bool[2 * plane];
        endMasks.AsSpan(0, plane).Fill(true);
        output.Evaluate(endMasks, ends);
        var (fx, fBaseline) = (ends[0], ends[1]);

        var values = new double[coalitions.Count];
        var batch = Options.BatchSize;
        var masks = new bool[batch * plane];
        for (var start = 0; start < coalitions.Count; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(batch, coalitions.Count - start);
            for (var k = 0; k < count; k++)
            {
                AttributionGrid.Expand(coalitions[start + k].Members, size, Grid, masks.AsSpan(k * plane, plane));
            }

            output.Evaluate(masks.AsSpan(0, count * plane), values.AsSpan(start, count));
        }

        var phi = Solve(coalitions, values, fx, fBaseline);
        return new Attribution([.. phi.Select(v => (float)v)], fx, fBaseline, coalitions.Count + 2);
    }

    /// <summary>
    /// The coalitions (neither empty nor full) evaluated for <paramref name="features"/> players and a budget of
    /// <paramref name="budget"/>, with their fit weights (summing to 1). All of them, with their exact kernel weights,
    /// when there are no more than the budget.
    /// </summary>
    public static IReadOnlyList<Coalition> Coalitions(int features, int budget, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
        var set = new CoalitionSet(features);
        if (features < 31 && (1L << features) - 2 <= budget)
        {
            for (var s = 1; s < features; s++)
            {
                var weight = ShapleyKernel.Weight(features, s);
                foreach (var members in Combinations(features, s))
                {
                    set.Add(members, weight);
                }
            }

            return set.ToCoalitions(1);
        }

        // Sizes s and M − s form a pair (one weight for both); with M even the middle size is its own pair.
        var sizes = features / 2;
        var paired = (features - 1) / 2;
        var shares = new double[sizes];
        for (var i = 0; i < sizes; i++)
        {
            shares[i] = ShapleyKernel.SizeWeight(features, i + 1) * (i < paired ? 2 : 1);
        }

        Normalize(shares);
        var remaining = (double[])shares.Clone();
        var left = budget;
        var enumerated = 0;
        for (var i = 0; i < sizes; i++)
        {
            var s = i + 1;
            var isPaired = i < paired;
            var count = ShapleyKernel.Binomial(features, s) * (isPaired ? 2 : 1);
            if (left * remaining[i] / count < 1 - 1e-8)
            {
                break;
            }

            enumerated++;
            left -= (int)count;
            if (remaining[i] < 1)
            {
                var rest = 1 - remaining[i];
                for (var j = 0; j < sizes; j++)
                {
                    remaining[j] /= rest;
                }
            }

            var weight = shares[i] / count;
            foreach (var members in Combinations(features, s))
            {
                set.Add(members, weight);
                if (isPaired)
                {
                    set.Add(Complement(members), weight);
                }
            }
        }

        var fixedCount = set.Count;
        if (enumerated < sizes && left > 0)
        {
            var draw = new double[sizes - enumerated];
            for (var i = 0; i < draw.Length; i++)
            {
                draw[i] = shares[enumerated + i] / (enumerated + i < paired ? 2 : 1);
            }

            Normalize(draw);
            var random = new Random(seed);
            var order = Enumerable.Range(0, features).ToArray();
            // Repeats only add weight; the cap stops a budget larger than the coalitions left from looping forever.
            for (var attempts = 0; left > 0 && attempts < budget * 40; attempts++)
            {
                var s = enumerated + 1 + Pick(draw, random.NextDouble());
                var members = new bool[features];
                for (var j = 0; j < s; j++)
                {
                    var k = random.Next(j, features);
                    (order[j], order[k]) = (order[k], order[j]);
                    members[order[j]] = true;
                }

                if (set.Add(members, 1))
                {
                    left--;
                }

                if (left > 0 && s <= paired && set.Add(Complement(members), 1))
                {
                    left--;
                }
            }

            var weightLeft = shares.Skip(enumerated).Sum();
            set.Scale(fixedCount, weightLeft);
        }

        return set.ToCoalitions(1);
    }

    /// <summary>
    /// The weighted least-squares fit of f(coalition) − f(baseline) = Σ φᵢ over the coalition's members, under the
    /// constraint Σφ = f(x) − f(baseline): the last player is eliminated, the normal equations of the rest solved
    /// by Cholesky (with a tiny ridge so a budget that never separates two players still has a solution).
    /// </summary>
    public static double[] Solve(IReadOnlyList<Coalition> coalitions, ReadOnlySpan<double> values, double output, double baselineOutput)
    {
        ArgumentNullException.ThrowIfNull(coalitions);
        if (coalitions.Count == 0 || values.Length != coalitions.Count)
        {
            throw new ArgumentException($"Expected one value per coalition ({coalitions.Count}), got {values.Length}.", nameof(values));
        }

        var m = coalitions[0].Members.Length;
        var n = m - 1;
        var total = output - baselineOutput;
        var a = new double[n * n];
        var b = new double[n];
        var x = new double[n];
        for (var k = 0; k < coalitions.Count; k++)
        {
            var (members, weight) = (coalitions[k].Members, coalitions[k].Weight);
            var last = members[n] ? 1.0 : 0.0;
            for (var j = 0; j < n; j++)
            {
                x[j] = (members[j] ? 1.0 : 0.0) - last;
            }

            var y = values[k] - baselineOutput - (last * total);
            for (var j = 0; j < n; j++)
            {
                if (x[j] == 0)
                {
                    continue;
                }

                var wx = weight * x[j];
                b[j] += wx * y;
                var row = a.AsSpan(j * n, n);
                for (var l = 0; l < n; l++)
                {
                    row[l] += wx * x[l];
                }
            }
        }

        double trace = 0;
        for (var j = 0; j < n; j++)
        {
            trace += a[(j * n) + j];
        }

        var ridge = (1e-10 * trace / n) + 1e-300;
        for (var j = 0; j < n; j++)
        {
            a[(j * n) + j] += ridge;
        }

        var phi = new double[m];
        CholeskySolve(a, b, n).CopyTo(phi, 0);
        phi[n] = total;
        for (var j = 0; j < n; j++)
        {
            phi[n] -= phi[j];
        }

        return phi;
    }

    private static double[] CholeskySolve(double[] a, double[] b, int n)
    {
        // a = L·Lᵀ in place (lower triangle), then forward and back substitution.
        for (var j = 0; j < n; j++)
        {
            var diagonal = a[(j * n) + j];
            for (var k = 0; k < j; k++)
            {
                diagonal -= a[(j * n) + k] * a[(j * n) + k];
            }

            if (!(diagonal > 0))
            {
                throw new InvalidOperationException("The KernelSHAP system is singular; raise the sample budget.");
            }

            var pivot = Math.Sqrt(diagonal);
            a[(j * n) + j] = pivot;
            for (var i = j + 1; i < n; i++)
            {
                var sum = a[(i * n) + j];
                for (var k = 0; k < j; k++)
                {
                    sum -= a[(i * n) + k] * a[(j * n) + k];
                }

                a[(i * n) + j] = sum / pivot;
            }
        }

        var z = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++)
            {
                sum -= a[(i * n) + k] * z[k];
            }

            z[i] = sum / a[(i * n) + i];
        }

        for (var i = n - 1; i >= 0; i--)
        {
            var sum = z[i];
            for (var k = i + 1; k < n; k++)
            {
                sum -= a[(k * n) + i] * z[k];
            }

            z[i] = sum / a[(i * n) + i];
        }

        return z;
    }

    private static IEnumerable<bool[]> Combinations(int n, int k)
    {
        var chosen = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            var members = new bool[n];
            foreach (var c in chosen)
            {
                members[c] = true;
            }

            yield return members;
            var i = k - 1;
            while (i >= 0 && chosen[i] == n - k + i)
            {
                i--;
            }

            if (i < 0)
            {
                yield break;
            }

            chosen[i]++;
            for (var j = i + 1; j < k; j++)
            {
                chosen[j] = chosen[j - 1] + 1;
            }
        }
    }

    private static bool[] Complement(bool[] members) => [.. members.Select(m => !m)];

    private static void Normalize(double[] values)
    {
        var sum = values.Sum();
        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= sum;
        }
    }

    private static int Pick(double[] probabilities, double u)
    {
        for (var i = 0; i < probabilities.Length - 1; i++)
        {
            u -= probabilities[i];
            if (u < 0)
            {
                return i;
            }
        }

        return probabilities.Length - 1;
    }

    /// <summary>Coalitions without repeats: adding one again adds to its weight.</summary>
    private sealed class CoalitionSet(int features)
    {
        private readonly List<bool[]> _members = [];
        private readonly List<double> _weights = [];
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

        public int Count => _members.Count;

        /// <summary>Adds a coalition; false when it was there already (its weight grows instead).</summary>
        public bool Add(bool[] members, double weight)
        {
            var key = string.Create(features, members, static (span, m) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = m[i] ? '1' : '0';
                }
            });
            if (_index.TryGetValue(key, out var existing))
            {
                _weights[existing] += weight;
                return false;
            }

            _index[key] = _members.Count;
            _members.Add(members);
            _weights.Add(weight);
            return true;
        }

        /// <summary>Scales the weights from <paramref name="start"/> on so that they sum to <paramref name="total"/>.</summary>
        public void Scale(int start, double total)
        {
            var sum = 0.0;
            for (var i = start; i < _weights.Count; i++)
            {
                sum += _weights[i];
            }

            for (var i = start; i < _weights.Count && sum > 0; i++)
            {
                _weights[i] *= total / sum;
            }
        }

        /// <summary>The coalitions with weights scaled to sum to <paramref name="total"/>.</summary>
        public IReadOnlyList<Coalition> ToCoalitions(double total)
        {
            var sum = _weights.Sum();
            return [.. _members.Select((m, i) => new Coalition(m, _weights[i] * total / sum))];
        }
    }
}
