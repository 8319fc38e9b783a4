using Face2Data.Schema;
using Face2Data.Training.Models;
using TorchSharp;

namespace Face2Data.Training.Tests.Models;

public class ModelSpecTests
{
    public static TheoryData<string, int> Architectures => new()
    {
        { "f2d", 32 },
        { "seed", 36 },
        { "densenet121", 32 },
        { "face-resnet", 150 },
    };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Every_model_outputs_one_tensor_per_head_for_two_heads(string architecture, int size) =>
        AssertHeadShapes(architecture, size, TestSchemas.TwoHeads, [1, 2]);

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Every_model_outputs_one_tensor_per_head_for_eight_heads(string architecture, int size) =>
        AssertHeadShapes(architecture, size, TestSchemas.EightHeads, [2, 3, 4, 4, 3, 3, 4, 71]);

    [Fact]
    public void Specs_differ_only_in_what_builds_another_network()
    {
        var schema = TestSchemas.AgeGenderRace;
        // Written before AgeGenderInputSize existed: its default, 112, is what it builds.
        var older = new ModelSpec("face-resnet", schema.ToJson(), 150, """{"Levels":3,"AgeGenderFeatures":true}""");
        var stated = ModelSpec.For("face-resnet", schema, 150, """{"Levels":3,"AgeGenderFeatures":true,"AgeGenderInputSize":112}""");
        var smaller = ModelSpec.For("face-resnet", schema, 150, """{"Levels":3,"AgeGenderFeatures":true,"AgeGenderInputSize":96}""");
        var defaults = new ModelSpec("face-resnet", schema.ToJson(), 150);

        Assert.Empty(older.DifferencesFrom(stated));
        Assert.Empty(defaults.DifferencesFrom(ModelSpec.For("face-resnet", schema, 150, "{}")));
        Assert.Equal(["options"], smaller.DifferencesFrom(stated));
        Assert.Equal(["options", "input size"], (smaller with { InputSize = 134 }).DifferencesFrom(stated));
        Assert.Equal(["schema"], ModelSpec.For("face-resnet", TestSchemas.TwoHeads, 150, """{"Levels":3,"AgeGenderFeatures":true}""").DifferencesFrom(older));
        Assert.Equal(["architecture"], ModelSpec.For("f2d", schema, 150).DifferencesFrom(defaults));
    }

    [Fact]
    public void Seed_matches_the_keras_reference_layout_at_198_pixels()
    {
        // Per branch: 3 convs (448 + 4640 + 9248), 3 BNs (4·(16+32+32)), Dense 8192→128 (1,048,704), BN 128, output.
        using var model = ModelSpec.For("seed", AttributeSchema.UtkFace, 198).Create();
        var parameters = model.parameters().Sum(p => p.numel());
        const long branch = 448 + 4640 + 9248 + (2 * (16 + 32 + 32)) + 1_048_704 + (2 * 128);
        Assert.Equal((3 * branch) + 129 + 258 + 645, parameters);
    }

    [Fact]
    public void Regression_predictions_are_in_the_heads_units()
    {
        torch.manual_seed(1);
        using var model = ModelSpec.For("f2d", TestSchemas.EightHeads, 32).Create();
        model.eval();
        using var input = torch.randn(4, 3, 32, 32);
        var predictions = model.Predict(model.forward(input));
        var height = predictions[7].data<float>().ToArray();
        Assert.All(height, h => Assert.InRange(h, 140f, 210f));
        var probabilities = predictions[0].sum(1).data<float>().ToArray();
        Assert.All(probabilities, p => Assert.Equal(1f, p, 4));
    }

    [Fact]
    public void Options_json_changes_the_network_and_survives_the_spec_round_trip()
    {
        var spec = ModelSpec.For("f2d", AttributeSchema.UtkFace, 32).WithOptions("""{"widths":[32,64,128,256],"StemChannels":32}""");
        using var wide = spec.Create();
        using var standard = ModelSpec.For("f2d", AttributeSchema.UtkFace, 32).Create();
        var wideParameters = wide.parameters().Sum(p => p.numel());
        Assert.True(wideParameters > standard.parameters().Sum(p => p.numel()) * 1.5);

        // The options are stored in canonical form and rebuild the same network, as a checkpoint does.
        var reloaded = new ModelSpec("f2d", AttributeSchema.UtkFace.ToJson(), 32, spec.OptionsJson);
        Assert.Contains("\"Widths\":[32,64,128,256]", spec.OptionsJson, StringComparison.Ordinal);
        using var rebuilt = reloaded.Create();
        Assert.Equal(wideParameters, rebuilt.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData("""{"Width":[32,64,128,256]}""", "Width")]
    [InlineData("""{"Widths":"wide"}""", "Widths")]
    [InlineData("not json", "f2d")]
    public void Options_json_that_is_not_the_architectures_is_rejected_by_name(string json, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ModelSpec.For("f2d", AttributeSchema.UtkFace, 32).WithOptions(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("F2dNetOptions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_architecture_is_rejected_with_the_choices()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelSpec.For("resnet9000", TestSchemas.TwoHeads, 32));
        Assert.Contains("f2d, seed, densenet121", error.Message);
    }

    private static void AssertHeadShapes(string architecture, int size, AttributeSchema schema, long[] widths)
    {
        torch.manual_seed(0);
        using var model = ModelSpec.For(architecture, schema, size).Create();
        using var input = torch.randn(3, 3, size, size);
        var outputs = model.forward(input);
        Assert.Equal(schema.Heads.Count, outputs.Length);
        for (var i = 0; i < outputs.Length; i++)
        {
            Assert.Equal(new long[] { 3, widths[i] }, outputs[i].shape);
        }

        // Backward reaches the first layer's weights.
        outputs.Select(o => o.sum()).Aggregate((a, b) => a + b).backward();
        Assert.NotNull(model.parameters().First().grad);
    }
}
