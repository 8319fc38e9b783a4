using Face2Data.Schema;

namespace Face2Data.Testing;

/// <summary>Small schemas for tests: age/gender/race, two heads, and eight heads of mixed kinds like the person-attributes reference.</summary>
internal static class TestSchemas
{
    /// <summary>Age, gender (m, f) and race (a, b), as the evaluation tests' prediction sets use.</summary>
    public static AttributeSchema AgeGenderRace { get; } = new(
    [
        AttributeHead.Regression("age", 0, 116, unit: "years"),
        AttributeHead.Categorical("gender", ["m", "f"]),
        AttributeHead.Categorical("race", ["a", "b"]),
    ]);

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
