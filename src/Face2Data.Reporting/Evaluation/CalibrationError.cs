namespace Face2Data.Reporting.Evaluation;

/// <summary>
/// Expected calibration error of a categorical head (Guo et al., 2017): predictions are grouped by confidence (the
/// top class's probability) into equal-width bins (i/B, (i+1)/B], and ECE = Σ |bin| ÷ n × |accuracy − mean confidence|.
/// 0 means the model is right exactly as often as it is confident.
/// </summary>
/// <param name="Ece">The expected calibration error, in [0, 1]; <see cref="double.NaN"/> for no samples.</param>
/// <param name="Bins">The bins, lowest confidence first.</param>
public sealed record CalibrationError(double Ece, IReadOnlyList<CalibrationBin> Bins)
{
    /// <summary>Bins used when none are given.</summary>
    public const int DefaultBinCount = 10;

    /// <summary>The calibration of row-major class probabilities [n × <paramref name="classCount"/>] against true classes.</summary>
    /// <exception cref="ArgumentException">The lengths do not match, or a label is not a class index.</exception>
    public static CalibrationError From(ReadOnlySpan<float> probabilities, int classCount, ReadOnlySpan<int> labels, int binCount = DefaultBinCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 1);
        if (probabilities.Length != labels.Length * classCount)
        {
            throw new ArgumentException($"Expected {labels.Length} × {classCount} probabilities, got {probabilities.Length}.", nameof(probabilities));
        }

        var counts = new int[binCount];
        var correct = new int[binCount];
        var confidence = new double[binCount];
        for (var i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException($"Sample {i} has class {labels[i]}; classes are 0 to {classCount - 1}.", nameof(labels));
            }

            var row = probabilities.Slice(i * classCount, classCount);
            var top = ArgMax(row);
            var bin = BinOf(row[top], binCount);
            counts[bin]++;
            confidence[bin] += row[top];
            correct[bin] += top == labels[i] ? 1 : 0;
        }

        var bins = new CalibrationBin[binCount];
        var ece = 0.0;
        for (var b = 0; b < binCount; b++)
        {
            var accuracy = counts[b] == 0 ? double.NaN : (double)correct[b] / counts[b];
            var meanConfidence = counts[b] == 0 ? double.NaN : confidence[b] / counts[b];
            bins[b] = new CalibrationBin((double)b / binCount, (double)(b + 1) / binCount, counts[b], accuracy, meanConfidence);
            if (counts[b] > 0)
            {
                ece += (double)counts[b] / labels.Length * Math.Abs(accuracy - meanConfidence);
            }
        }

        return new CalibrationError(labels.Length == 0 ? double.NaN : ece, bins);
    }

    /// <summary>Index of the largest value (the first, on ties).</summary>
    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    // Bin b holds (b/B, (b+1)/B]; compared against the same divisions as the bounds, so 0.3 lands in (0.2, 0.3].
    private static int BinOf(double confidence, int binCount)
    {
        var bin = Math.Clamp((int)Math.Ceiling(confidence * binCount) - 1, 0, binCount - 1);
        if (bin > 0 && confidence <= (double)bin / binCount)
        {
            bin--;
        }
        else if (bin < binCount - 1 && confidence > (double)(bin + 1) / binCount)
        {
            bin++;
        }

        return bin;
    }
}
