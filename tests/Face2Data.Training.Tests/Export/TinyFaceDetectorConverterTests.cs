using System.CommandLine;
using System.Text.Json;
using Face2Data.Cli;
using Face2Data.Cli.Commands;
using Face2Data.Detection;
using Face2Data.Training.Export;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Tests.Export;

/// <summary>
/// <see cref="TinyFaceDetectorConverter"/> on a small stand-in with the Tiny Face Detector's layout (a TensorFlow.js
/// manifest of uint8-quantized weights, one float32) whose ONNX output must equal the network computed directly with
/// TorchSharp from the same TensorFlow-layout weights.
/// </summary>
public sealed class TinyFaceDetectorConverterTests : IDisposable
{
    // Channels of conv0 … conv5, as in face-api.js's filterSizes, only smaller: 3 → 4 → 6 → 6 → 8 → 8 → 8.
    private static readonly int[] Channels = [3, 4, 6, 6, 8, 8, 8];
    private static readonly float[] MeanRgb = [117.001f, 114.697f, 97.404f];

    private readonly string _folder = Directory.CreateTempSubdirectory("tiny-converter-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_converted_graph_computes_the_network_from_the_TensorFlow_weights()
    {
        var manifest = WriteManifest(seed: 3);
        var onnx = Path.Combine(_folder, "tiny.onnx");
        TinyFaceDetectorConverter.Convert(manifest, onnx);
        var weights = TinyFaceDetectorConverter.ReadWeights(manifest);
        // 96×64: not square, and odd sizes after the unpadded first convolution, so every SAME_UPPER pool pads.
        const int Height = 64;
        const int Width = 96;
        var random = new Random(4);
        var pixels = Enumerable.Range(0, 3 * Height * Width).Select(_ => (float)random.Next(256)).ToArray();

        var expected = Reference(weights, pixels, Height, Width);
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(onnx, options);
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [1, 3, Height, Width]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [TinyFaceDetector.InputName], [input], [TinyFaceDetector.OutputName]);

        Assert.Equal([1L, 25, Height / 32, Width / 32], outputs[0].GetTensorTypeAndShape().Shape);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        var size = expected.Select(MathF.Abs).Max();
        Assert.True(size > 0.1f, "the reference output is all but zero, so the comparison would prove little");
        // Float rounding differs by about 1e-7 of the output's size; a pool padded at the wrong end (SAME_LOWER) by 1e-2.
        Assert.True(ExportTestData.MaxAbsDifference(expected, actual) < 1e-4f * size, $"max difference {ExportTestData.MaxAbsDifference(expected, actual)} for outputs up to {size}");
    }

    [Fact]
    public void Weights_are_dequantized_as_min_plus_scale_times_level_and_float32_is_read_as_it_is()
    {
        var manifest = WriteManifest(seed: 5);
        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        var first = document.RootElement[0].GetProperty("weights")[0];
        var quantization = first.GetProperty("quantization");
        var shard = File.ReadAllBytes(Path.Combine(_folder, "tiny.bin"));

        var weights = TinyFaceDetectorConverter.ReadWeights(manifest);

        var conv0 = weights["conv0/filters"];
        Assert.Equal([3, 3, 3, Channels[1]], conv0.Shape);
        Assert.Equal(quantization.GetProperty("min").GetDouble() + (quantization.GetProperty("scale").GetDouble() * shard[5]), conv0.Values[5], 5);
        var bias = weights["conv8/bias"];
        Assert.Equal(BitConverter.ToSingle(shard, shard.Length - 4), bias.Values[^1]);
    }

    [Fact]
    public void ToOnnxConvWeight_turns_kh_kw_in_out_into_out_in_kh_kw()
    {
        // TensorFlow [kh 1, kw 2, in 3, out 2]: value = 100 kw + 10 in + out.
        var values = new float[1 * 2 * 3 * 2];
        for (var x = 0; x < 2; x++)
        {
            for (var i = 0; i < 3; i++)
            {
                for (var o = 0; o < 2; o++)
                {
                    values[((x * 3) + i) * 2 + o] = (100 * x) + (10 * i) + o;
                }
            }
        }

        var onnx = TinyFaceDetectorConverter.ToOnnxConvWeight(new TfWeight("w", [1, 2, 3, 2], values));

        // ONNX [out 2, in 3, kh 1, kw 2]: index ((o × 3 + i) × 1 + y) × 2 + x.
        Assert.Equal([0, 100, 10, 110, 20, 120, 1, 101, 11, 111, 21, 121], onnx);
    }

    [Fact]
    public void A_missing_manifest_or_shard_is_FileNotFoundException_and_nothing_is_written()
    {
        var onnx = Path.Combine(_folder, "out.onnx");
        var manifest = WriteManifest(seed: 1);
        File.Delete(Path.Combine(_folder, "tiny.bin"));

        Assert.Throws<FileNotFoundException>(() => TinyFaceDetectorConverter.Convert(Path.Combine(_folder, "none.json"), onnx));
        var shard = Assert.Throws<FileNotFoundException>(() => TinyFaceDetectorConverter.Convert(manifest, onnx));
        Assert.Contains("tiny.bin", shard.Message);
        Assert.False(File.Exists(onnx));
    }

    [Theory]
    [InlineData("truncated", "ends inside")]
    [InlineData("longer", "its shard holds")]
    [InlineData("no-conv3", "'conv3/depthwise_filter'")]
    [InlineData("float16", "only float32")]
    [InlineData("escape", "Unusable shard name")]
    [InlineData("not-array", "not a TensorFlow.js weights manifest")]
    [InlineData("not-json", "is not JSON")]
    [InlineData("wide-output", "5 anchors")]
    public void Files_that_are_not_the_Tiny_Face_Detectors_weights_are_InvalidDataException(string damage, string message)
    {
        var manifest = WriteManifest(seed: 2, damage);
        var onnx = Path.Combine(_folder, "out.onnx");

        var error = Assert.Throws<InvalidDataException>(() => TinyFaceDetectorConverter.Convert(manifest, onnx));

        Assert.Contains(message, error.Message);
        Assert.False(File.Exists(onnx));
    }

    [Fact]
    public async Task The_command_writes_the_model_or_says_in_one_line_what_is_wrong()
    {
        var manifest = WriteManifest(seed: 6);
        var onnx = Path.Combine(_folder, "cli.onnx");
        var root = new RootCommand { DetectorCommand.Create() };
        using var error = new StringWriter();

        var written = await CommandErrors.InvokeAsync(root, ["detector", "convert", "--weights", manifest, "--out", onnx], error);
        var missing = await CommandErrors.InvokeAsync(root, ["detector", "convert", "--weights", Path.Combine(_folder, "none.json"), "--out", onnx + ".2"], error);

        Assert.Equal(0, written);
        Assert.True(new FileInfo(onnx).Length > 0);
        Assert.Equal(CommandErrors.UserError, missing);
        Assert.StartsWith("face2data: No weights manifest at", error.ToString());
        Assert.False(File.Exists(onnx + ".2"));
    }

    // The Tiny Face Detector computed directly: the same layers, written with TorchSharp's functions from the
    // TensorFlow-layout weights (TensorFlow's "same" max pool pads its end with −∞).
    private static float[] Reference(IReadOnlyDictionary<string, TfWeight> weights, float[] pixels, int height, int width)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = (torch.tensor(pixels, [1, 3, height, width]) - torch.tensor(MeanRgb, [1, 3, 1, 1])) / 255f;
        x = nn.functional.leaky_relu(Conv(x, weights["conv0/filters"], weights["conv0/bias"]), 0.1);
        x = SamePool(x, 2);
        for (var block = 1; block <= 5; block++)
        {
            var depthwise = weights[$"conv{block}/depthwise_filter"];
            var dw = Tensor(depthwise).permute(2, 3, 0, 1); // [kh, kw, C, 1] → [C, 1, kh, kw]
            x = nn.functional.conv2d(x, dw, null, padding: [1, 1], groups: depthwise.Shape[2]);
            x = nn.functional.leaky_relu(Conv(x, weights[$"conv{block}/pointwise_filter"], weights[$"conv{block}/bias"]), 0.1);
            x = SamePool(x, block == 5 ? 1 : 2);
        }

        x = Conv(x, weights["conv8/filters"], weights["conv8/bias"]);
        return x.contiguous().data<float>().ToArray();
    }

    private static Tensor Conv(Tensor x, TfWeight filters, TfWeight bias) =>
        nn.functional.conv2d(x, Tensor(filters).permute(3, 2, 0, 1), Tensor(bias));

    private static Tensor SamePool(Tensor x, int stride)
    {
        var (h, w) = (x.shape[2], x.shape[3]);
        var padH = Math.Max(((((h + stride - 1) / stride) - 1) * stride) + 2 - h, 0);
        var padW = Math.Max(((((w + stride - 1) / stride) - 1) * stride) + 2 - w, 0);
        var padded = nn.functional.pad(x, [0, padW, 0, padH], PaddingModes.Constant, double.NegativeInfinity);
        return nn.functional.max_pool2d(padded, [2, 2], [stride, stride]);
    }

    private static Tensor Tensor(TfWeight weight) => torch.tensor(weight.Values, weight.Shape.Select(d => (long)d).ToArray());

    // A manifest and shard with the Tiny Face Detector's names and layout and random weights; damage spoils them.
    private string WriteManifest(int seed, string? damage = null)
    {
        var random = new Random(seed);
        var entries = new List<(string Name, int[] Shape, bool Float)>
        {
            ("conv0/filters", [3, 3, 3, Channels[1]], false),
            ("conv0/bias", [Channels[1]], false),
        };
        for (var block = 1; block <= 5; block++)
        {
            if (damage == "no-conv3" && block == 3)
            {
                continue;
            }

            entries.Add(($"conv{block}/depthwise_filter", [3, 3, Channels[block], 1], false));
            entries.Add(($"conv{block}/pointwise_filter", [1, 1, Channels[block], Channels[block + 1]], false));
            entries.Add(($"conv{block}/bias", [Channels[block + 1]], false));
        }

        var outputs = damage == "wide-output" ? 30 : 25;
        entries.Add(("conv8/filters", [1, 1, Channels[6], outputs], false));
        entries.Add(("conv8/bias", [outputs], true));

        var shard = new List<byte>();
        var described = new List<object>();
        foreach (var (name, shape, isFloat) in entries)
        {
            var count = shape.Aggregate(1, (a, b) => a * b);
            var fanIn = name.EndsWith("bias", StringComparison.Ordinal) ? 1 : count / shape[^1];
            var spread = name.EndsWith("bias", StringComparison.Ordinal) ? 0.2 : 2.0 / Math.Sqrt(fanIn);
            if (isFloat)
            {
                for (var i = 0; i < count; i++)
                {
                    shard.AddRange(BitConverter.GetBytes((float)((random.NextDouble() - 0.5) * spread)));
                }

                described.Add(new { name, shape, dtype = damage == "float16" ? "float16" : "float32" });
            }
            else
            {
                for (var i = 0; i < count; i++)
                {
                    shard.Add((byte)random.Next(256));
                }

                described.Add(new { name, shape, dtype = "float32", quantization = new { dtype = "uint8", scale = spread / 255, min = -spread / 2 } });
            }
        }

        var bytes = shard.ToArray();
        bytes = damage switch
        {
            "truncated" => bytes[..^3],
            "longer" => [.. bytes, 0, 0],
            _ => bytes,
        };
        File.WriteAllBytes(Path.Combine(_folder, "tiny.bin"), bytes);
        var path = Path.Combine(_folder, "tiny-weights_manifest.json");
        var shardName = damage == "escape" ? "../tiny.bin" : "tiny.bin";
        var json = damage switch
        {
            "not-array" => "{\"weights\": []}",
            "not-json" => "[{ not json",
            _ => JsonSerializer.Serialize(new[] { new { paths = new[] { shardName }, weights = described } }),
        };
        File.WriteAllText(path, json);
        return path;
    }
}
