using Face2Data.Schema;

namespace Face2Data.Inference;

/// <summary>
/// A model's outputs for one batch, one row-major array per schema head: [batch × classes] probabilities for a
/// categorical head, [batch] values for a regression head.
/// </summary>
public sealed class HeadOutputs
{
    /// <summary>Wraps per-head arrays (schema order); each must hold batch × the head's output count values.</summary>
    public HeadOutputs(AttributeSchema schema, int batchSize, IReadOnlyList<float[]> values)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (values.Count != schema.Heads.Count)
        {
            throw new ArgumentException($"Expected {schema.Heads.Count} head outputs, got {values.Count}.", nameof(values));
        }

        for (var i = 0; i < values.Count; i++)
        {
            var head = schema.Heads[i];
            if (values[i] is null || values[i].Length != batchSize * head.OutputCount)
            {
                throw new ArgumentException($"Head '{head.Name}' needs {batchSize * head.OutputCount} values ({batchSize} × {head.OutputCount}), got {values[i]?.Length ?? 0}.", nameof(values));
            }
        }

        Schema = schema;
        BatchSize = batchSize;
        Values = values;
    }

    /// <summary>The heads these outputs belong to.</summary>
    public AttributeSchema Schema { get; }

    /// <summary>Number of images in the batch.</summary>
    public int BatchSize { get; }

    /// <summary>One array per head, in schema order.</summary>
    public IReadOnlyList<float[]> Values { get; }

    /// <summary>All values of the named head, row-major [batch × output count].</summary>
    public float[] this[string head]
    {
        get
        {
            var index = Schema.IndexOf(head);
            return index >= 0
                ? Values[index]
                : throw new KeyNotFoundException($"No head '{head}'. Heads: {string.Join(", ", Schema.Heads.Select(h => h.Name))}.");
        }
    }

    /// <summary>The named head's values for one image: class probabilities, or a single regression value.</summary>
    public ReadOnlySpan<float> Row(string head, int sample)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sample);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(sample, BatchSize);
        var count = Schema[head].OutputCount;
        return this[head].AsSpan(sample * count, count);
    }
}
