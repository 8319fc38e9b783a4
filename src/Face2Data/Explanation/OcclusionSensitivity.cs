namespace Face2Data.Explanation;

/// <summary>
/// Occlusion sensitivity (Zeiler and Fergus, 2014): a square patch slides over the input with a fixed stride
/// (the last position flush with the far edge, so every pixel is covered) and is replaced by the baseline; the
/// drop f(x) − f(x with the patch replaced) is credited to every pixel it covers. A pixel's attribution is the mean
/// drop over the patches covering it, and a cell's is the mean over its pixels. Positive: hiding the region lowers
/// the output (it supported it); negative: hiding it raises the output. Costs one model evaluation per patch
/// position, ((size − patch) / stride + 1)² (rounded up), plus two for f(x) and f(baseline).
/// </summary>
public sealed class OcclusionSensitivity : IAttributionMethod
{
    /// <summary>Creates the method; the options are checked against each input's size in <see cref="Explain"/>.</summary>
    public OcclusionSensitivity(OcclusionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <inheritdoc />
    public AttributionMethod Method => AttributionMethod.Occlusion;

    /// <inheritdoc />
    public int Grid => Options.Grid;

    /// <summary>The settings.</summary>
    public OcclusionOptions Options { get; }

    /// <summary>The patch's top (or left) edge at each position along an axis of <paramref name="size"/> pixels.</summary>
    public static IReadOnlyList<int> Positions(int size, int patch, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(patch, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(patch, size);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(stride, patch);
        var positions = new List<int>();
        for (var p = 0; p + patch <= size; p += stride)
        {
            positions.Add(p);
        }

        if (positions[^1] + patch < size)
        {
            positions.Add(size - patch);
        }

        return positions;
    }

    /// <inheritdoc />
    public Attribution Explain(IMaskedOutput output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var size = output.Size;
        Options.Validate(size);
        var plane = size * size;
        var positions = Positions(size, Options.Patch, Options.Stride);
        var patches = positions.SelectMany(y => positions.Select(x => (Y: y, X: x))).ToList();

        var ends = new double[2];
        var endMasks = new bool[2 * plane];
        endMasks.AsSpan(0, plane).Fill(true);
        output.Evaluate(endMasks, ends);
        var (fx, fBaseline) = (ends[0], ends[1]);

        var sums = new double[plane];
        var counts = new int[plane];
        var batch = Options.BatchSize;
        var masks = new bool[batch * plane];
        var values = new double[batch];
        for (var start = 0; start < patches.Count; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(batch, patches.Count - start);
            masks.AsSpan(0, count * plane).Fill(true);
            for (var k = 0; k < count; k++)
            {
                var mask = masks.AsSpan(k * plane, plane);
                var (top, left) = patches[start + k];
                for (var y = top; y < top + Options.Patch; y++)
                {
                    mask.Slice((y * size) + left, Options.Patch).Clear();
                }
            }

            output.Evaluate(masks.AsSpan(0, count * plane), values.AsSpan(0, count));
            for (var k = 0; k < count; k++)
            {
                var drop = fx - values[k];
                var (top, left) = patches[start + k];
                for (var y = top; y < top + Options.Patch; y++)
                {
                    for (var x = left; x < left + Options.Patch; x++)
                    {
                        sums[(y * size) + x] += drop;
                        counts[(y * size) + x]++;
                    }
                }
            }
        }

        for (var i = 0; i < plane; i++)
        {
            sums[i] /= counts[i];
        }

        return new Attribution(AttributionGrid.Aggregate(sums, size, Grid), fx, fBaseline, patches.Count + 2);
    }
}
