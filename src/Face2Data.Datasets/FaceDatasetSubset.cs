using Face2Data.Schema;

namespace Face2Data.Datasets;

/// <summary>Some samples of another dataset, in the order given; for quick runs and tests.</summary>
public sealed class FaceDatasetSubset : IFaceDataset
{
    private readonly IFaceDataset _parent;
    private readonly int[] _parentIndices;

    /// <summary>The samples of <paramref name="parent"/> at <paramref name="parentIndices"/> (distinct, in range).</summary>
    public FaceDatasetSubset(IFaceDataset parent, IReadOnlyList<int> parentIndices)
    {
        ArgumentNullException.ThrowIfNull(parent);
        _parent = parent;
        _parentIndices = parentIndices.ToArray();
        if (_parentIndices.Any(i => i < 0 || i >= parent.Samples.Count) || _parentIndices.Distinct().Count() != _parentIndices.Length)
        {
            throw new ArgumentException("Subset indices must be distinct and within the dataset.", nameof(parentIndices));
        }

        Samples = _parentIndices.Select(i => parent.Samples[i]).ToList();
        // The parent's fingerprint stands in for the file sizes the subset does not know.
        var keyed = Samples.Prepend(new FaceSample(parent.Fingerprint, [])).ToList();
        Fingerprint = DatasetFingerprint.Compute(parent.Schema, keyed, keyed.Select(_ => -1L).ToList());
    }

    /// <inheritdoc />
    public AttributeSchema Schema => _parent.Schema;

    /// <inheritdoc />
    public IReadOnlyList<FaceSample> Samples { get; }

    /// <inheritdoc />
    public string Fingerprint { get; }

    /// <inheritdoc />
    public string Source => $"{_parent.Source} ({Samples.Count} of {_parent.Samples.Count} samples)";

    /// <summary>The first <paramref name="count"/> samples.</summary>
    public static FaceDatasetSubset First(IFaceDataset dataset, int count) =>
        new(dataset, Enumerable.Range(0, Math.Min(count, dataset.Samples.Count)).ToArray());

    /// <summary>
    /// <paramref name="count"/> samples evenly spaced through the dataset (every n-th), so a small sample spans a
    /// dataset sorted by label rather than taking its first entries.
    /// </summary>
    public static FaceDatasetSubset Spread(IFaceDataset dataset, int count)
    {
        var step = Math.Max(1, dataset.Samples.Count / Math.Max(1, count));
        return new(dataset, Enumerable.Range(0, Math.Min(count, dataset.Samples.Count)).Select(i => i * step).Where(i => i < dataset.Samples.Count).ToArray());
    }

    /// <summary><paramref name="count"/> samples drawn without replacement with a seeded generator, in dataset order.</summary>
    public static FaceDatasetSubset Random(IFaceDataset dataset, int count, int seed)
    {
        var indices = Enumerable.Range(0, dataset.Samples.Count).ToArray();
        new System.Random(seed).Shuffle(indices);
        return new(dataset, indices.Take(Math.Min(count, indices.Length)).Order().ToArray());
    }

    /// <inheritdoc />
    public IEnumerable<(int Index, byte[] Bytes)> ReadImages(CancellationToken cancellationToken = default)
    {
        var positions = new Dictionary<int, int>(_parentIndices.Length);
        for (var i = 0; i < _parentIndices.Length; i++)
        {
            positions[_parentIndices[i]] = i;
        }

        // The parent streams in its own order; hold only what arrives before its turn.
        var pending = new Dictionary<int, byte[]>();
        var next = 0;
        foreach (var (index, bytes) in _parent.ReadImages(cancellationToken))
        {
            if (!positions.TryGetValue(index, out var position))
            {
                continue;
            }

            pending[position] = bytes;
            while (pending.Remove(next, out var ready))
            {
                yield return (next++, ready);
            }

            if (next == _parentIndices.Length)
            {
                yield break;
            }
        }
    }
}
