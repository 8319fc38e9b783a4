using Face2Data.Schema;

namespace Face2Data.Inference;

/// <summary>
/// One head's prediction for one face. A regression head has <see cref="Value"/> and <see cref="Range"/>; a
/// categorical head has <see cref="Label"/>, its <see cref="Confidence"/> and every class's probability.
/// </summary>
public sealed record AttributePrediction
{
    /// <summary>The head's name, such as <c>age</c>.</summary>
    public required string Head { get; init; }

    /// <summary>Regression or categorical.</summary>
    public required HeadKind Kind { get; init; }

    /// <summary>Predicted value in the head's unit (regression heads).</summary>
    public float? Value { get; init; }

    /// <summary>A plausible interval around <see cref="Value"/>: ± the model's validation MAE when known (regression heads).</summary>
    public ValueRange? Range { get; init; }

    /// <summary>Unit of <see cref="Value"/>, such as <c>years</c>.</summary>
    public string? Unit { get; init; }

    /// <summary>The most probable class (categorical heads).</summary>
    public string? Label { get; init; }

    /// <summary>Probability of <see cref="Label"/> (categorical heads).</summary>
    public float? Confidence { get; init; }

    /// <summary>Every class's probability, in schema order (categorical heads).</summary>
    public IReadOnlyDictionary<string, float>? Probabilities { get; init; }
}

/// <summary>A closed interval of a regression value.</summary>
/// <param name="Low">Lower end.</param>
/// <param name="High">Upper end.</param>
public readonly record struct ValueRange(float Low, float High);
