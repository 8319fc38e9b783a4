using Face2Data.Schema;

namespace Face2Data.Reporting.Evaluation;

/// <summary>
/// A model's outputs next to the true labels for some samples of a dataset: what every metric is computed from.
/// </summary>
public sealed class PredictionSet
{
    private readonly float[][] _truth;
    private readonly float[][] _outputs;
    private readonly bool[]? _found;

    /// <summary>Wraps per-head arrays, in schema order.</summary>
    /// <param name="schema">The heads evaluated.</param>
    /// <param name="indices">Each sample's index in its dataset.</param>
    /// <param name="ids">Each sample's id in its dataset.</param>
    /// <param name="truth">Per head, one label per sample: class index or value, <see cref="float.NaN"/> when unknown.</param>
    /// <param name="outputs">
    /// Per head, row-major [samples × output count]: class probabilities (categorical) or the value (regression).
    /// </param>
    /// <param name="found">
    /// Per sample, whether the model saw a face in it (photos, where a detector may find none); null when every sample
    /// is a face crop. The outputs of a sample without a face are ignored: it counts as wrong for every categorical
    /// head and is left out of regression errors.
    /// </param>
    public PredictionSet(AttributeSchema schema, IReadOnlyList<int> indices, IReadOnlyList<string> ids, IReadOnlyList<float[]> truth, IReadOnlyList<float[]> outputs, IReadOnlyList<bool>? found = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(outputs);
        var count = indices.Count;
        if (ids.Count != count)
        {
            throw new ArgumentException($"Got {count} indices but {ids.Count} ids.", nameof(ids));
        }

        if (truth.Count != schema.Heads.Count || outputs.Count != schema.Heads.Count)
        {
            throw new ArgumentException($"Expected truth and outputs for {schema.Heads.Count} heads, got {truth.Count} and {outputs.Count}.");
        }

        for (var h = 0; h < schema.Heads.Count; h++)
        {
            var head = schema.Heads[h];
            if (truth[h] is null || truth[h].Length != count)
            {
                throw new ArgumentException($"Head '{head.Name}' needs {count} true labels, got {truth[h]?.Length ?? 0}.", nameof(truth));
            }

            if (outputs[h] is null || outputs[h].Length != count * head.OutputCount)
            {
                throw new ArgumentException($"Head '{head.Name}' needs {count} × {head.OutputCount} outputs, got {outputs[h]?.Length ?? 0}.", nameof(outputs));
            }

            if (head.Kind == HeadKind.Categorical && truth[h].Any(label => !float.IsNaN(label) && (label < 0 || label >= head.Classes.Count || label != MathF.Floor(label))))
            {
                throw new ArgumentException($"Head '{head.Name}' has a true label that is not a class index of 0 to {head.Classes.Count - 1}.", nameof(truth));
            }
        }

        if (found is not null && found.Count != count)
        {
            throw new ArgumentException($"Got {count} indices but {found.Count} face-found flags.", nameof(found));
        }

        Schema = schema;
        _found = found?.ToArray();
        NoFaceCount = found?.Count(f => !f) ?? 0;
        Indices = indices.ToArray();
        Ids = ids.ToArray();
        _truth = truth.Select(t => t.ToArray()).ToArray();
        _outputs = outputs.Select(o => o.ToArray()).ToArray();
    }

    /// <summary>The heads evaluated.</summary>
    public AttributeSchema Schema { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Indices.Count;

    /// <summary>Each sample's index in its dataset.</summary>
    public IReadOnlyList<int> Indices { get; }

    /// <summary>Each sample's id in its dataset.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>Samples in which no face was found (0 for face crops).</summary>
    public int NoFaceCount { get; }

    /// <summary>Whether the model saw a face in a sample (always for face crops).</summary>
    public bool HasFace(int sample) => _found is null || _found[sample];

    /// <summary>The true label of a sample for a head (class index or value; <see cref="float.NaN"/> when unknown).</summary>
    public float Truth(int head, int sample) => _truth[head][sample];

    /// <summary>All true labels of a head.</summary>
    public ReadOnlySpan<float> TruthOf(int head) => _truth[head];

    /// <summary>All outputs of a head, row-major [samples × output count].</summary>
    public ReadOnlySpan<float> OutputsOf(int head) => _outputs[head];

    /// <summary>A sample's outputs for a head: class probabilities, or one value.</summary>
    public ReadOnlySpan<float> Output(int head, int sample)
    {
        var width = Schema.Heads[head].OutputCount;
        return _outputs[head].AsSpan(sample * width, width);
    }

    /// <summary>
    /// The class a categorical head predicts for a sample (highest probability, the first on ties); -1, never right,
    /// when no face was found in it.
    /// </summary>
    public int PredictedClass(int head, int sample) => HasFace(sample) ? CalibrationError.ArgMax(Output(head, sample)) : -1;

    /// <summary>The value a regression head predicts for a sample.</summary>
    public float PredictedValue(int head, int sample) => _outputs[head][sample];

    /// <summary>
    /// Whether a sample's prediction is right: the true class for a categorical head; for a regression head,
    /// within <paramref name="tolerance"/> of the truth. Null when the truth is unknown.
    /// </summary>
    public bool? IsCorrect(int head, int sample, double tolerance)
    {
        var truth = _truth[head][sample];
        if (float.IsNaN(truth))
        {
            return null;
        }

        if (!HasFace(sample))
        {
            return false;
        }

        return Schema.Heads[head].Kind == HeadKind.Categorical
            ? PredictedClass(head, sample) == (int)truth
            : Math.Abs(PredictedValue(head, sample) - truth) <= tolerance;
    }
}
