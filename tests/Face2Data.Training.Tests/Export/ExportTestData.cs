using Face2Data.Detection;
using Face2Data.Imaging;
using Face2Data.Inference;
using Face2Data.Schema;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Training.Tests.Export;

/// <summary>Deterministic models, inputs and manifests for the export tests (local generators, no global seed).</summary>
internal static class ExportTestData
{
    public const int InputSize = 32;

    public static AttributeSchema TwoHeads { get; } = new(
    [
        AttributeHead.Regression("age", 0, 116, unit: "years"),
        AttributeHead.Categorical("gender", ["male", "female"]),
    ]);

    public static AttributeSchema EightHeads { get; } = new(
    [
        AttributeHead.Regression("age", 0, 116, unit: "years"),
        AttributeHead.Categorical("gender", ["male", "female"]),
        AttributeHead.Categorical("race", ["white", "black", "asian", "indian", "others"]),
        AttributeHead.Categorical("emotion", ["neutral", "happy", "sad", "surprise", "fear", "disgust", "anger"]),
        AttributeHead.Categorical("glasses", ["no", "yes"]),
        AttributeHead.Regression("beard", 0, 1),
        AttributeHead.Categorical("smile", ["none", "slight", "broad"]),
        AttributeHead.Regression("yaw", -90, 90, unit: "degrees"),
    ]);

    /// <summary>
    /// A network with random weights and non-trivial batch-norm statistics (a few train-mode forward passes),
    /// left in eval mode.
    /// </summary>
    public static ParityNet TrainedNet(AttributeSchema schema, long seed, int? wrongHeadWidth = null)
    {
        var model = new ParityNet(schema, wrongHeadWidth: wrongHeadWidth);
        Randomize(model, seed);
        model.train();
        using (torch.no_grad())
        {
            var generator = new Generator((ulong)seed + 1);
            for (var i = 0; i < 3; i++)
            {
                using var scope = torch.NewDisposeScope();
                model.forward(torch.randn([4, 3, InputSize, InputSize], generator: generator) * 2 + 0.5);
            }
        }

        model.eval();
        return model;
    }

    /// <summary>Replaces every parameter with seeded noise, so results do not depend on the global RNG.</summary>
    public static void Randomize(nn.Module module, long seed)
    {
        var generator = new Generator((ulong)seed);
        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in module.named_parameters())
        {
            using var noise = torch.randn(parameter.shape, generator: generator);
            // Batch-norm scales (the only 1-D weights) stay near 1 so activations keep a sensible size.
            if (parameter.dim() == 1 && name.EndsWith("weight", StringComparison.Ordinal))
            {
                parameter.copy_(noise * 0.2 + 1);
            }
            else
            {
                parameter.copy_(noise * 0.3);
            }
        }
    }

    public static float[] RandomInput(int batch, long seed, int size = InputSize)
    {
        var generator = new Generator((ulong)seed);
        using var input = torch.randn([batch, 3, size, size], generator: generator);
        return input.data<float>().ToArray();
    }

    /// <summary>The model's eval-mode outputs as the ONNX file gives them: softmax for categorical heads.</summary>
    public static float[][] TorchOutputs(ParityNet model, AttributeSchema schema, float[] input, int batch)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.tensor(input, [batch, 3, InputSize, InputSize]);
        var outputs = model.forward(x);
        return schema.Heads
            .Select((head, i) => (head.Kind == HeadKind.Categorical ? outputs[i].softmax(1) : outputs[i]).data<float>().ToArray())
            .ToArray();
    }

    public static ModelManifest Manifest(AttributeSchema schema) => new()
    {
        Name = "parity-net",
        Version = "0.1.0",
        Architecture = "parity-net-w8",
        Schema = schema,
        Preprocessing = new ImagePreprocessing { Size = InputSize, Resize = ResizeMethod.Linear, Mean = [0.4f, 0.5f, 0.6f], Std = [0.2f, 0.25f, 0.3f] },
        Crop = new CropGeometry { Scale = 1.25, ShiftY = 0.05 },
        Metrics = new Dictionary<string, double> { ["age_mae"] = 5.25, ["gender_accuracy"] = 0.925 },
        TrainingData = "synthetic test data",
        License = "CC BY-NC-SA 4.0",
        CreatedUtc = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero),
    };

    public static float MaxAbsDifference(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var max = 0f;
        for (var i = 0; i < expected.Length; i++)
        {
            max = MathF.Max(max, MathF.Abs(expected[i] - actual[i]));
        }

        return max;
    }

    /// <summary>
    /// Asserts that <paramref name="actual"/> matches <paramref name="expected"/> within 1e-4 of the largest expected
    /// magnitude, after checking that the reference is not all but zero (a comparison of zeros proves little).
    /// </summary>
    public static void AssertMatchesRelative(float[] expected, float[] actual, string what = "outputs")
    {
        var size = expected.Select(MathF.Abs).Max();
        Assert.True(size > 0.1f, $"the reference {what} are all but zero, so the comparison would prove little");
        var difference = MaxAbsDifference(expected, actual);
        Assert.True(difference < 1e-4f * size, $"{what}: max difference {difference} for values up to {size}");
    }
}
