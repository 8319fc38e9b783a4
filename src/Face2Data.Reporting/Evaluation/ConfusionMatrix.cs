namespace Face2Data.Reporting.Evaluation;

/// <summary>
/// Counts of (true class, predicted class) pairs for one categorical head: row = true class, column = predicted class.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[,] _counts;

    /// <summary>Wraps counts (copied); <paramref name="counts"/> must be classes × classes and non-negative.</summary>
    public ConfusionMatrix(IReadOnlyList<string> classes, int[,] counts)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(counts);
        if (classes.Count < 1 || counts.GetLength(0) != classes.Count || counts.GetLength(1) != classes.Count)
        {
            throw new ArgumentException(
                $"Expected a {classes.Count} × {classes.Count} matrix for {classes.Count} classes, got {counts.GetLength(0)} × {counts.GetLength(1)}.",
                nameof(counts));
        }

        foreach (var count in counts)
        {
            if (count < 0)
            {
                throw new ArgumentException("Counts must not be negative.", nameof(counts));
            }
        }

        Classes = classes.ToArray();
        _counts = (int[,])counts.Clone();
    }

    /// <summary>Class labels, in index order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount => Classes.Count;

    /// <summary>How many samples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public int this[int actual, int predicted] => _counts[actual, predicted];

    /// <summary>Number of samples counted.</summary>
    public int Total
    {
        get
        {
            var total = 0;
            foreach (var count in _counts)
            {
                total += count;
            }

            return total;
        }
    }

    /// <summary>Samples predicted as their true class (the diagonal).</summary>
    public int Correct
    {
        get
        {
            var correct = 0;
            for (var c = 0; c < ClassCount; c++)
            {
                correct += _counts[c, c];
            }

            return correct;
        }
    }

    /// <summary>Correct ÷ total; <see cref="double.NaN"/> when nothing was counted.</summary>
    public double Accuracy => Total == 0 ? double.NaN : (double)Correct / Total;

    /// <summary>
    /// Counts the pairs (<paramref name="actual"/>[i], <paramref name="predicted"/>[i]); both hold class indices.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length or hold an index outside the classes.</exception>
    public static ConfusionMatrix FromLabels(IReadOnlyList<string> classes, ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (actual.Length != predicted.Length)
        {
            throw new ArgumentException($"Got {actual.Length} true labels but {predicted.Length} predictions.", nameof(predicted));
        }

        var counts = new int[classes.Count, classes.Count];
        for (var i = 0; i < actual.Length; i++)
        {
            if ((uint)actual[i] >= (uint)classes.Count || (uint)predicted[i] >= (uint)classes.Count)
            {
                throw new ArgumentException($"Sample {i} has class pair ({actual[i]}, {predicted[i]}); classes are 0 to {classes.Count - 1}.", nameof(actual));
            }

            counts[actual[i], predicted[i]]++;
        }

        return new ConfusionMatrix(classes, counts);
    }

    /// <summary>Samples whose true class is <paramref name="actual"/> (a row sum).</summary>
    public int Support(int actual)
    {
        var sum = 0;
        for (var p = 0; p < ClassCount; p++)
        {
            sum += _counts[actual, p];
        }

        return sum;
    }

    /// <summary>Samples predicted as <paramref name="predicted"/> (a column sum).</summary>
    public int PredictedCount(int predicted)
    {
        var sum = 0;
        for (var a = 0; a < ClassCount; a++)
        {
            sum += _counts[a, predicted];
        }

        return sum;
    }

    /// <summary>The counts as rows (true classes) of columns (predicted classes).</summary>
    public int[][] ToRows() =>
        Enumerable.Range(0, ClassCount).Select(a => Enumerable.Range(0, ClassCount).Select(p => _counts[a, p]).ToArray()).ToArray();
}
