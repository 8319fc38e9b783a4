using Face2Data.Inference;
using Face2Data.Schema;

namespace Face2Data.Server.Contracts;

/// <summary>
/// One head's prediction. A regression head (<c>kind: "regression"</c>) has <see cref="Value"/>, <see cref="Range"/>
/// and maybe <see cref="Unit"/>; a categorical head has <see cref="Label"/>, <see cref="Confidence"/> and every
/// class's <see cref="Probabilities"/>.
/// </summary>
public sealed record AttributeResponse
{
    /// <summary><c>regression</c> or <c>categorical</c>.</summary>
    public required HeadKind Kind { get; init; }

    /// <summary>Predicted value (regression).</summary>
    public float? Value { get; init; }

    /// <summary>A plausible interval around the value: ± the model's validation MAE when known (regression).</summary>
    public RangeResponse? Range { get; init; }

    /// <summary>Unit of the value, such as <c>years</c> (regression).</summary>
    public string? Unit { get; init; }

    /// <summary>Most probable class (categorical).</summary>
    public string? Label { get; init; }

    /// <summary>Probability of the label (categorical).</summary>
    public float? Confidence { get; init; }

    /// <summary>Every class's probability, in schema order (categorical).</summary>
    public IReadOnlyDictionary<string, float>? Probabilities { get; init; }

    /// <summary>Builds the response from a prediction.</summary>
    public static AttributeResponse From(AttributePrediction prediction) => new()
    {
        Kind = prediction.Kind,
        Value = prediction.Value,
        Range = prediction.Range is { } range ? new RangeResponse(range.Low, range.High) : null,
        Unit = prediction.Unit,
        Label = prediction.Label,
        Confidence = prediction.Confidence,
        Probabilities = prediction.Probabilities,
    };
}

/// <summary>A closed interval.</summary>
/// <param name="Low">Lower end.</param>
/// <param name="High">Upper end.</param>
public sealed record RangeResponse(float Low, float High);
