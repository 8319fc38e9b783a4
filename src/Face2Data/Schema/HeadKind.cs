using System.Text.Json.Serialization;

namespace Face2Data.Schema;

/// <summary>What a head predicts; <c>"regression"</c> or <c>"categorical"</c> in JSON (<see cref="HeadKindJsonConverter"/>).</summary>
[JsonConverter(typeof(HeadKindJsonConverter))]
public enum HeadKind
{
    /// <summary>A number, such as age in years.</summary>
    Regression,

    /// <summary>One label out of a fixed list of classes, such as gender.</summary>
    Categorical,
}
