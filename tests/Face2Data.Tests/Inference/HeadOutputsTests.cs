using Face2Data.Inference;
using Face2Data.Schema;

namespace Face2Data.Tests.Inference;

public sealed class HeadOutputsTests
{
    [Fact]
    public void Row_returns_one_images_values_of_a_head()
    {
        var outputs = new HeadOutputs(AttributeSchema.UtkFace, 2,
        [
            [31f, 52f],
            [0.9f, 0.1f, 0.2f, 0.8f],
            [0.1f, 0.2f, 0.3f, 0.2f, 0.2f, 0.5f, 0.1f, 0.1f, 0.1f, 0.2f],
        ]);

        Assert.Equal([52f], outputs.Row("age", 1).ToArray());
        Assert.Equal([0.2f, 0.8f], outputs.Row("gender", 1).ToArray());
        Assert.Equal([0.1f, 0.2f, 0.3f, 0.2f, 0.2f], outputs.Row("race", 0).ToArray());
        Assert.Equal([0.9f, 0.1f, 0.2f, 0.8f], outputs["gender"]);
    }

    [Fact]
    public void Arrays_of_the_wrong_length_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new HeadOutputs(AttributeSchema.UtkFace, 2, [[1f, 2f], [0.5f, 0.5f], new float[10]]));

        Assert.StartsWith("Head 'gender' needs 4 values (2 × 2), got 2.", error.Message);
    }

    [Fact]
    public void Unknown_head_and_sample_out_of_range_are_rejected()
    {
        var outputs = new HeadOutputs(AttributeSchema.UtkFace, 1, [[1f], [0.5f, 0.5f], new float[5]]);

        var error = Assert.Throws<KeyNotFoundException>(() => outputs["emotion"]);
        Assert.Equal("No head 'emotion'. Heads: age, gender, race.", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => outputs.Row("age", 1).ToArray());
    }
}
