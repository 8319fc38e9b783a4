using Face2Data.Schema;

namespace Face2Data.Training.Training;

/// <summary>Sums one head's per-sample results over an epoch; <see cref="Result"/> turns them into metrics.</summary>
internal sealed class MetricAccumulator
{
    private readonly AttributeHead _head;
    private long _count;
    private double _lossSum;
    private long _batches;
    private long _correct;
    private double _absError;
    private double _squaredError;
    private double _sum;
    private double _sumSquares;

    public MetricAccumulator(AttributeHead head) => _head = head;

    /// <summary>Adds a batch: the head's mean loss, its predictions (probabilities [N, C] flattened, or values [N]) and targets.</summary>
    public void Add(double batchLoss, ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets)
    {
        _lossSum += batchLoss;
        _batches++;
        if (_head.Kind == HeadKind.Categorical)
        {
            var classes = _head.Classes.Count;
            for (var i = 0; i < targets.Length; i++)
            {
                var row = predictions.Slice(i * classes, classes);
                var best = 0;
                for (var c = 1; c < classes; c++)
                {
                    if (row[c] > row[best])
                    {
                        best = c;
                    }
                }

                _correct += best == (int)targets[i] ? 1 : 0;
            }
        }
        else
        {
            for (var i = 0; i < targets.Length; i++)
            {
                double error = predictions[i] - targets[i];
                _absError += Math.Abs(error);
                _squaredError += error * error;
                _sum += targets[i];
                _sumSquares += (double)targets[i] * targets[i];
            }
        }

        _count += targets.Length;
    }

    public HeadMetrics Result()
    {
        var loss = _batches == 0 ? double.NaN : _lossSum / _batches;
        if (_head.Kind == HeadKind.Categorical)
        {
            return new HeadMetrics(_head.Name, loss, _count == 0 ? double.NaN : (double)_correct / _count, double.NaN, double.NaN, double.NaN);
        }

        if (_count == 0)
        {
            return new HeadMetrics(_head.Name, loss, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var totalSquares = _sumSquares - (_sum * _sum / _count);
        var r2 = totalSquares > 0 ? 1 - (_squaredError / totalSquares) : double.NaN;
        return new HeadMetrics(_head.Name, loss, double.NaN, _absError / _count, Math.Sqrt(_squaredError / _count), r2);
    }
}
