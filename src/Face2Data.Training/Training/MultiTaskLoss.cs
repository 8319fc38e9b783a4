using Face2Data.Schema;
using Face2Data.Training.Models;
using Face2Data.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Training;

/// <summary>
/// The weighted sum of the heads' losses. Regression targets are scaled to [0, 1] of the head's range for
/// <c>l1</c>/<c>mse</c>, so loss weights mean the same whatever the unit. A <c>distribution</c> head is trained
/// towards a Gaussian over its bins (σ = <see cref="DistributionSigma"/> units) plus a small L1 on the expected
/// value, which is what it predicts.
/// </summary>
public sealed class MultiTaskLoss
{
    private readonly AttributeSchema _schema;
    private readonly double _labelSmoothing;

    public MultiTaskLoss(AttributeSchema schema, double labelSmoothing = 0, double distributionSigma = 2.0)
    {
        _schema = schema;
        _labelSmoothing = labelSmoothing;
        DistributionSigma = distributionSigma;
    }

    /// <summary>Width of the Gaussian target of distribution heads, in the head's units.</summary>
    public double DistributionSigma { get; }

    /// <summary>
    /// Total loss (scalar tensor) and each head's unweighted loss, for raw outputs in schema order and labels
    /// [N, heads].
    /// </summary>
    public (Tensor Total, Tensor[] PerHead) Compute(Tensor[] raw, Tensor labels)
    {
        var perHead = new Tensor[_schema.Heads.Count];
        Tensor? total = null;
        for (var i = 0; i < perHead.Length; i++)
        {
            var head = _schema.Heads[i];
            var target = labels[.., i];
            perHead[i] = HeadLoss(head, raw[i], target);
            var weighted = perHead[i].Times(head.LossWeight);
            total = total is null ? weighted : total.Plus(weighted);
        }

        return (total!, perHead);
    }

    private Tensor HeadLoss(AttributeHead head, Tensor raw, Tensor target)
    {
        if (head.Kind == HeadKind.Categorical)
        {
            return nn.functional.cross_entropy(raw, target.to(ScalarType.Int64), label_smoothing: _labelSmoothing);
        }

        var range = head.Max - head.Min;
        if (AttributeHeadLayer.IsDistribution(head))
        {
            var centers = AttributeHeadLayer.CentersOf(head).unsqueeze(0);
            var z = (centers - target.unsqueeze(1)).DividedBy(DistributionSigma);
            var goal = (z.Times(-0.5) * z).softmax(1);
            var logProbabilities = raw.log_softmax(1);
            var softCrossEntropy = -(goal * logProbabilities).sum(1).mean();
            var expected = logProbabilities.exp().matmul(centers.squeeze(0));
            return softCrossEntropy.Plus((expected - target).abs().mean().DividedBy(range).Times(10));
        }

        var normalized = target.Minus(head.Min).DividedBy(range);
        var prediction = raw.squeeze(1);
        return head.EffectiveLoss switch
        {
            "mse" => nn.functional.mse_loss(prediction, normalized),
            "l1" => nn.functional.l1_loss(prediction, normalized),
            _ => throw new NotSupportedException($"Unknown loss '{head.Loss}' for regression head '{head.Name}'. Use l1, mse or distribution."),
        };
    }
}
