using Face2Data.Datasets;
using Face2Data.Schema;
using Face2Data.Training.Models;

namespace Face2Data.Training.Training;

/// <summary>
/// Post-hoc logit adjustment of one categorical head: its logits are shifted by −τ·log(prior), the share of each class
/// among the training labels. τ = 0 keeps the training mix as the model's prior; τ = 1 predicts as if every class were
/// equally common, which is what a dataset whose class mix is not the users' (UTKFace's race: 7 % "others") calls for.
/// The shift goes into the output layer's bias, so the exported file costs nothing more to run.
/// </summary>
public static class ClassPriorCorrection
{
    /// <summary>The share of each class of <paramref name="head"/> among the labelled samples at <paramref name="indices"/>.</summary>
    public static double[] Priors(IFaceDataset dataset, IReadOnlyList<int> indices, string head)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(indices);
        var h = HeadIndex(dataset.Schema, head);
        var classes = dataset.Schema.Heads[h].Classes;
        var counts = new long[classes.Count];
        foreach (var i in indices)
        {
            var label = dataset.Samples[i].Labels[h];
            if (float.IsFinite(label) && label >= 0 && label < classes.Count)
            {
                counts[(int)label]++;
            }
        }

        if (counts.Contains(0))
        {
            var missing = string.Join(", ", classes.Where((_, c) => counts[c] == 0));
            throw new ArgumentException($"The {head} head's class(es) {missing} have no training samples, so their prior is 0 and its logarithm is not finite.", nameof(indices));
        }

        var total = counts.Sum();
        return counts.Select(c => (double)c / total).ToArray();
    }

    /// <summary>The shift of each class's logit: −τ·log(prior).</summary>
    public static double[] Shift(IReadOnlyList<double> priors, double strength)
    {
        ArgumentNullException.ThrowIfNull(priors);
        if (!double.IsFinite(strength) || strength < 0 || strength > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(strength), strength, "The strength τ of the prior correction must be from 0 to 1.");
        }

        if (priors.Any(p => !(p > 0 && p <= 1)))
        {
            throw new ArgumentException("Every prior must be in (0, 1].", nameof(priors));
        }

        return priors.Select(p => -strength * Math.Log(p)).ToArray();
    }

    /// <summary>Adds <paramref name="shift"/> to the logits of <paramref name="head"/> in <paramref name="model"/>.</summary>
    public static void Apply(MultiHeadModel model, string head, IReadOnlyList<double> shift)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layer = model.HeadLayers.FirstOrDefault(l => l.Head.Name == head)
            ?? throw new ArgumentException($"The model has no head named {head}.", nameof(head));
        layer.ShiftLogits(shift);
    }

    /// <summary>
    /// Reads a checkpoint, shifts <paramref name="head"/>'s logits by −τ·log(prior) with the priors of the training
    /// samples at <paramref name="train"/>, and writes the result (without trainer state) to <paramref name="outputPath"/>.
    /// Its validation metrics are dropped: they belong to the weights before the shift. Returns the priors and the shift.
    /// </summary>
    public static (double[] Priors, double[] Shift) CorrectCheckpoint(string checkpointPath, string outputPath, IFaceDataset dataset, IReadOnlyList<int> train, string head, double strength)
    {
        var (model, info) = Checkpoint.Load(Checkpoint.ResolvePath(checkpointPath));
        using (model)
        {
            // Loss settings may differ (train applies --loss-weights to the dataset's schema); heads and classes may not.
            if (!info.Model.Schema.SameOutputsAs(dataset.Schema))
            {
                throw new ArgumentException("The dataset's heads differ from the checkpoint's.", nameof(dataset));
            }

            if (info.PriorCorrection.Length > 0)
            {
                throw new ArgumentException($"The checkpoint's priors were corrected already ({info.PriorCorrection}); correct the original.", nameof(checkpointPath));
            }

            var priors = Priors(dataset, train, head);
            var shift = Shift(priors, strength);
            Apply(model, head, shift);
            var classes = info.Model.Schema[head].Classes;
            var described = string.Join(", ", classes.Zip(priors, (c, p) => $"{c} {p:F3}"));
            Checkpoint.Save(outputPath, model, info with
            {
                Metrics = null,
                State = null,
                PriorCorrection = $"{head} logits shifted by -{strength:0.###}·log(training prior) ({described}; {train.Count:N0} training samples)",
            });
            return (priors, shift);
        }
    }

    private static int HeadIndex(AttributeSchema schema, string head)
    {
        var index = schema.IndexOf(head);
        if (index < 0)
        {
            throw new ArgumentException($"The schema has no head named {head}; it has {string.Join(", ", schema.Heads.Select(h => h.Name))}.", nameof(head));
        }

        if (schema.Heads[index].Kind != HeadKind.Categorical)
        {
            throw new ArgumentException($"The {head} head is not categorical; only class logits have priors to correct.", nameof(head));
        }

        return index;
    }
}
