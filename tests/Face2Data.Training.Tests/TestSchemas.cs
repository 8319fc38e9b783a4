using Face2Data.Schema;

namespace Face2Data.Training.Tests;

/// <summary>Small schemas for tests: two heads, and eight heads of mixed kinds like the person-attributes reference.</summary>
internal static class TestSchemas
{
    public static AttributeSchema TwoHeads { get; } = new(
    [
        AttributeHead.Regression("age", 0, 100),
        AttributeHead.Categorical("gender", ["male", "female"]),
    ]);

    public static AttributeSchema EightHeads { get; } = new(
    [
        AttributeHead.Categorical("gender", ["female", "male"]),
        AttributeHead.Categorical("image_quality", ["bad", "average", "good"]),
        AttributeHead.Categorical("age", ["young", "35-45", "45-55", "55+"]),
        AttributeHead.Categorical("weight", ["thin", "normal", "over", "obese"]),
        AttributeHead.Categorical("carrying_bag", ["none", "bag", "daypack"]),
        AttributeHead.Categorical("footwear", ["normal", "fancy", "cc"]),
        AttributeHead.Categorical("emotion", ["neutral", "happy", "angry", "sad"]),
        AttributeHead.Regression("height", 140, 210, loss: "distribution"),
    ]);
}
