using System.CommandLine;
using Face2Data.Cli;
using Face2Data.Cli.Commands;
using Face2Data.Detection;
using Face2Data.Inference;
using Face2Data.Onnx.Converters;
using Face2Data.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Tests.Export;

/// <summary>
/// <see cref="AgeGenderConverter"/> on a small stand-in with face-api.js's age and gender network's layout (a
/// TensorFlow.js manifest of uint8-quantized weights), whose ONNX outputs must equal the network computed directly with
/// TorchSharp from the same TensorFlow-layout weights; its refusals; the <c>detector convert-age-gender</c> command;
/// and the committed conversion of the real weights (models/face_api_age_gender.onnx) as a Face2Data model.
/// </summary>
public sealed class AgeGenderParityTests : IDisposable
{
    private const int Side = AgeGenderConverter.InputSize;

    private readonly string _folder = Directory.CreateTempSubdirectory("age-gender-parity-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_converted_model_computes_the_network_from_the_TensorFlow_weights_on_Face2Data_preprocessed_input()
    {
        var manifest = AgeGenderWeights.Write(_folder, seed: 7);
        var onnx = Path.Combine(_folder, "age_gender.onnx");
        AgeGenderConverter.Convert(manifest, onnx);
        var weights = TfjsWeights.Read(manifest);
        var random = new Random(8);
        const int Batch = 2;
        var rgb = Enumerable.Range(0, Batch * 3 * Side * Side).Select(_ => (byte)random.Next(256)).ToArray();

        var (expectedAge, expectedGender) = Reference(weights, rgb, Batch);
        using var model = OnnxFaceModel.Load(onnx);
        // The model's own preprocessing (manifest: mean = face-api.js's mean / 255, std 1) turns the pixels into its input.
        var input = new float[rgb.Length];
        var image = 3 * Side * Side;
        for (var b = 0; b < Batch; b++)
        {
            model.Manifest.Preprocessing.Normalize(HwcOf(rgb.AsSpan(b * image, image)), input.AsSpan(b * image, image));
        }

        var outputs = model.Predict(input, Batch);

        Assert.Equal(["age", "gender"], model.Schema.Heads.Select(h => h.Name));
        Assert.Equal(["male", "female"], model.Schema["gender"].Classes);
        ExportTestData.AssertMatchesRelative(expectedAge, outputs["age"], "ages");
        ExportTestData.AssertMatchesRelative(expectedGender, outputs["gender"], "gender probabilities");
    }

    [Theory]
    [InlineData("no-fc", "fc/age")]
    [InlineData("three-genders", "fc/gender")]
    [InlineData("no-main-block-conv", "middle_flow/main_block_1/separable_conv2")]
    public void Weights_of_another_network_are_refused_with_what_is_wrong(string damage, string named)
    {
        var manifest = AgeGenderWeights.Write(_folder, seed: 3, damage);
        var onnx = Path.Combine(_folder, "damaged.onnx");

        var error = Assert.Throws<InvalidDataException>(() => AgeGenderConverter.Convert(manifest, onnx));

        Assert.Contains(named, error.Message);
        Assert.False(File.Exists(onnx));
    }

    [Fact]
    public void The_landmark_network_is_not_taken_for_the_age_and_gender_network()
    {
        var manifest = FaceLandmark68Weights.Write(_folder, seed: 4);

        var error = Assert.Throws<InvalidDataException>(() => AgeGenderConverter.Convert(manifest, Path.Combine(_folder, "landmarks.onnx")));

        Assert.Contains("not face-api.js's age and gender network's manifest", error.Message);
    }

    [Fact]
    public async Task The_command_writes_the_model_or_says_in_one_line_what_is_wrong()
    {
        var manifest = AgeGenderWeights.Write(_folder, seed: 9);
        var onnx = Path.Combine(_folder, "cli.onnx");
        var root = new RootCommand { DetectorCommand.Create() };
        using var error = new StringWriter();

        var written = await CommandErrors.InvokeAsync(root, ["detector", "convert-age-gender", "--weights", manifest, "--out", onnx], error);
        var missing = await CommandErrors.InvokeAsync(root, ["detector", "convert-age-gender", "--weights", Path.Combine(_folder, "none.json"), "--out", onnx + ".2"], error);

        Assert.Equal(0, written);
        using (var model = OnnxFaceModel.Load(onnx))
        {
            Assert.Equal(AgeGenderConverter.Manifest.ToMetadata(), model.Manifest.ToMetadata());
        }

        Assert.Equal(CommandErrors.UserError, missing);
        Assert.StartsWith("face2data: No weights manifest at", error.ToString());
        Assert.False(File.Exists(onnx + ".2"));
    }

    [Fact]
    public void The_committed_conversion_of_the_real_weights_tells_a_young_womans_portrait()
    {
        var path = Path.Combine(TestPaths.RepositoryRoot, "models", "face_api_age_gender.onnx");
        // face-api.js's framing: the detector's box made square (CropGeometry.Identity), no eye alignment.
        using var detector = new BlazeFaceDetector(new BlazeFaceDetectorOptions());
        using var analyzer = FaceAnalyzer.Load(path, detector: detector);
        // London faces 001: a 24-year-old woman, frontal portrait.
        var analysis = analyzer.Analyze(File.ReadAllBytes(Path.Combine(TestPaths.LondonFaceImages, "001_neutral.jpg")));

        var face = Assert.Single(analysis.Faces);
        Assert.Equal("female", face.Attributes["gender"].Label);
        Assert.InRange(face.Attributes["age"].Value ?? -1, 15, 35);
        Assert.False(face.Attributes.ContainsKey("race"));
        Assert.Equal("face-api-age-gender", analyzer.Model.Name);
    }

    [Fact]
    public void The_committed_conversion_gives_face_api_js_own_output()
    {
        // face-api.js 1.7.15 (dist/face-api.esm.js, TensorFlow.js's cpu backend in Node) on Pattern as a [112, 112, 3]
        // tensor of pixels: ageGenderNet.forward gives age 49.37874 and gender [0.999955, 0.000045] (male first, as
        // its predictAgeAndGender reads them: "male", 0.99996); runNet's gender logits are 5.28941 and −4.72678.
        var rgb = new byte[3 * Side * Side];
        for (var y = 0; y < Side; y++)
        {
            for (var x = 0; x < Side; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    rgb[(((y * Side) + x) * 3) + c] = (byte)Pattern(x, y, c);
                }
            }
        }

        using var model = OnnxFaceModel.Load(Path.Combine(TestPaths.RepositoryRoot, "models", "face_api_age_gender.onnx"));
        var input = new float[rgb.Length];
        model.Manifest.Preprocessing.Normalize(rgb, input);
        var outputs = model.Predict(input, 1);

        Assert.Equal(49.37874f, outputs["age"][0], 1e-3f);
        var gender = outputs.Row("gender", 0);
        Assert.Equal(0.999955f, gender[0], 2e-6f);
        Assert.Equal(5.28941 - -4.72678, Math.Log(gender[0] / gender[1]), 1e-3);
    }

    private static int Pattern(int x, int y, int c) => ((x * 7) + (y * 13) + (c * 50) + ((x * y) % 31)) % 256;

    // [N, 3, S, S] planes of one image → its HWC bytes, as Normalize reads them.
    private static byte[] HwcOf(ReadOnlySpan<byte> chw)
    {
        var plane = Side * Side;
        var hwc = new byte[3 * plane];
        for (var c = 0; c < 3; c++)
        {
            for (var i = 0; i < plane; i++)
            {
                hwc[(i * 3) + c] = chw[(c * plane) + i];
            }
        }

        return hwc;
    }

    // The network computed directly with TorchSharp's functions from the TensorFlow-layout weights and the pixels, as
    // face-api.js's TinyXception and AgeGenderNet write it: (pixels − mean) / 255; TensorFlow's "same" padding of a
    // stride-2 window on an even side adds one row and column at the end (zeros for a convolution, ignored by max pool).
    private static (float[] Age, float[] Gender) Reference(IReadOnlyDictionary<string, TfWeight> weights, byte[] rgb, int batch)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var pixels = torch.tensor(rgb.Select(b => (float)b).ToArray(), [batch, 3, Side, Side]);
        var x = (pixels - torch.tensor(AgeGenderWeights.MeanRgb.ToArray(), [1, 3, 1, 1])) / 255f;
        x = nn.functional.relu(Conv(nn.functional.pad(x, [0, 1, 0, 1]), weights, "entry_flow/conv_in", stride: 2));
        x = Reduction(x, weights, "entry_flow/reduction_block_0", activateInput: false);
        x = Reduction(x, weights, "entry_flow/reduction_block_1", activateInput: true);
        for (var block = 0; block < 2; block++)
        {
            var output = x;
            for (var k = 0; k < 3; k++)
            {
                output = Separable(nn.functional.relu(output), weights, $"middle_flow/main_block_{block}/separable_conv{k}");
            }

            x = output + x;
        }

        x = Reduction(x, weights, "exit_flow/reduction_block", activateInput: true);
        x = nn.functional.relu(Separable(x, weights, "exit_flow/separable_conv"));
        Assert.Equal([batch, AgeGenderWeights.Channels[4], 7L, 7], x.shape);
        x = nn.functional.avg_pool2d(x, [7, 7], [2, 2]).flatten(1);
        var age = torch.matmul(x, Tensor(weights["fc/age/weights"])) + Tensor(weights["fc/age/bias"]);
        var gender = nn.functional.softmax(torch.matmul(x, Tensor(weights["fc/gender/weights"])) + Tensor(weights["fc/gender/bias"]), 1);
        return (age.contiguous().data<float>().ToArray(), gender.contiguous().data<float>().ToArray());
    }

    private static Tensor Reduction(Tensor x, IReadOnlyDictionary<string, TfWeight> weights, string name, bool activateInput)
    {
        var output = Separable(activateInput ? nn.functional.relu(x) : x, weights, $"{name}/separable_conv0");
        output = Separable(nn.functional.relu(output), weights, $"{name}/separable_conv1");
        output = nn.functional.max_pool2d(nn.functional.pad(output, [0, 1, 0, 1], PaddingModes.Constant, double.NegativeInfinity), [3, 3], [2, 2]);
        return output + Conv(x, weights, $"{name}/expansion_conv", stride: 2);
    }

    private static Tensor Conv(Tensor x, IReadOnlyDictionary<string, TfWeight> weights, string name, int stride) =>
        nn.functional.conv2d(x, Tensor(weights[$"{name}/filters"]).permute(3, 2, 0, 1), Tensor(weights[$"{name}/bias"]), strides: [stride, stride]);

    private static Tensor Separable(Tensor x, IReadOnlyDictionary<string, TfWeight> weights, string name)
    {
        var depthwise = weights[$"{name}/depthwise_filter"];
        var dw = Tensor(depthwise).permute(2, 3, 0, 1); // [kh, kw, C, 1] → [C, 1, kh, kw]
        x = nn.functional.conv2d(x, dw, null, padding: [1, 1], groups: depthwise.Shape[2]);
        return nn.functional.conv2d(x, Tensor(weights[$"{name}/pointwise_filter"]).permute(3, 2, 0, 1), Tensor(weights[$"{name}/bias"]));
    }

    private static Tensor Tensor(TfWeight weight) => torch.tensor(weight.Values, weight.Shape.Select(d => (long)d).ToArray());
}
