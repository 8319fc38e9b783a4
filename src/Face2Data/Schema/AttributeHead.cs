using System.Text.Json.Serialization;

namespace Face2Data.Schema;

/// <summary>
/// One output of a multi-task model: its name, kind, classes (categorical) or value range (regression),
/// and how it is trained (loss and loss weight).
/// </summary>
public sealed record AttributeHead
{
    /// <summary>Head name, also the ONNX output name (e.g. <c>age</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Regression or categorical.</summary>
    public required HeadKind Kind { get; init; }

    /// <summary>Class labels in index order; empty for regression heads.</summary>
    public IReadOnlyList<string> Classes { get; init; } = [];

    /// <summary>
    /// Training loss: <c>cross_entropy</c> for categorical heads; <c>l1</c>, <c>mse</c> or
    /// <c>distribution</c> (softmax over integer bins, expected value) for regression heads.
    /// </summary>
    public string Loss { get; init; } = "";

    /// <summary>Weight of this head's loss in the total loss.</summary>
    public float LossWeight { get; init; } = 1f;

    /// <summary>Smallest valid value (regression heads).</summary>
    public float Min { get; init; }

    /// <summary>Largest valid value (regression heads).</summary>
    public float Max { get; init; }

    /// <summary>Unit of a regression value, such as <c>years</c>; empty when it has none.</summary>
    public string Unit { get; init; } = "";

    /// <summary>Number of model outputs this head needs: classes for categorical, 1 for regression.</summary>
    [JsonIgnore]
    public int OutputCount => Kind == HeadKind.Categorical ? Classes.Count : 1;

    /// <summary>The loss used when none is given.</summary>
    [JsonIgnore]
    public string EffectiveLoss => Loss.Length > 0 ? Loss : Kind == HeadKind.Categorical ? "cross_entropy" : "l1";

    /// <summary>A categorical head.</summary>
    public static AttributeHead Categorical(string name, IReadOnlyList<string> classes, float lossWeight = 1f) =>
        new() { Name = name, Kind = HeadKind.Categorical, Classes = classes, Loss = "cross_entropy", LossWeight = lossWeight };

    /// <summary>A regression head over [min, max].</summary>
    public static AttributeHead Regression(string name, float min, float max, float lossWeight = 1f, string loss = "l1", string unit = "") =>
        new() { Name = name, Kind = HeadKind.Regression, Min = min, Max = max, Loss = loss, LossWeight = lossWeight, Unit = unit };

    /// <summary>Index of a class label, or -1 when the head has no such class.</summary>
    public int ClassIndex(string label)
    {
        for (var i = 0; i < Classes.Count; i++)
        {
            if (string.Equals(Classes[i], label, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
