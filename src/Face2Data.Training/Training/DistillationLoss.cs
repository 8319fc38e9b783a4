using Face2Data.Schema;
using Face2Data.Training.Models;
using Face2Data.Training.Runtime;
using static TorchSharp.torch;

namespace Face2Data.Training.Training;

/// <summary>
/// A student's loss against a teacher's predictions (knowledge distillation): for heads whose raw output is logits
/// (categorical and distribution heads) the cross-entropy of the student's log-probabilities against the teacher's
/// probabilities; for plain regression heads the L1 distance to the teacher's raw value (the head's normalized units).
/// Heads are weighted by their loss weights, as in <see cref="MultiTaskLoss"/>.
/// </summary>
public sealed class DistillationLoss
{
    private readonly AttributeSchema _schema;

    public DistillationLoss(AttributeSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        _schema = schema;
    }

    /// <summary>What the student is taught from a teacher's raw output: its probabilities, or its raw value.</summary>
    public static Tensor Target(AttributeHead head, Tensor teacherRaw)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(teacherRaw);
        return AttributeHeadLayer.HasProbabilities(head) ? teacherRaw.softmax(1) : teacherRaw.alias();
    }

    /// <summary>The weighted sum over heads of the mean loss against <paramref name="targets"/> (from <see cref="Target"/>).</summary>
    public Tensor Compute(Tensor[] raw, Tensor[] targets)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(targets);
        if (raw.Length != _schema.Heads.Count || targets.Length != _schema.Heads.Count)
        {
            throw new ArgumentException($"Expected {_schema.Heads.Count} raw outputs and targets, got {raw.Length} and {targets.Length}.");
        }

        Tensor? total = null;
        for (var i = 0; i < raw.Length; i++)
        {
            var head = _schema.Heads[i];
            var loss = AttributeHeadLayer.HasProbabilities(head)
                ? -(targets[i] * raw[i].log_softmax(1)).sum(1).mean()
                : (raw[i] - targets[i]).abs().mean();
            var weighted = loss.Times(head.LossWeight);
            total = total is null ? weighted : total.Plus(weighted);
        }

        return total!;
    }
}
