namespace Face2Data.Onnx;

/// <summary>One dimension of a graph input or output: a fixed size or a named, dynamic one (such as the batch).</summary>
public readonly record struct OnnxDimension
{
    private OnnxDimension(long value, string? parameter)
    {
        Value = value;
        Parameter = parameter;
    }

    /// <summary>The fixed size; 0 for a dynamic dimension.</summary>
    public long Value { get; }

    /// <summary>The dynamic dimension's name, or null for a fixed one.</summary>
    public string? Parameter { get; }

    /// <summary>A dimension of fixed size.</summary>
    public static OnnxDimension Fixed(long value) =>
        value >= 0 ? new(value, null) : throw new ArgumentOutOfRangeException(nameof(value), value, "A dimension cannot be negative.");

    /// <summary>A dynamic dimension, such as <c>N</c> for the batch.</summary>
    public static OnnxDimension Dynamic(string name) =>
        string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("A dynamic dimension needs a name.", nameof(name)) : new(0, name);

    /// <inheritdoc />
    public override string ToString() => Parameter ?? Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
