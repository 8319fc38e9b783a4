using System.Text.Json;
using Face2Data.Onnx.Converters;

namespace Face2Data.Onnx.Tests.Converters;

/// <summary>
/// <see cref="TinyFaceDetectorConverter"/> reading a small stand-in with the Tiny Face Detector's layout (a
/// TensorFlow.js manifest of uint8-quantized weights, one float32) and refusing files that are not those weights.
/// Training.Tests checks the converted graph's output against the network computed with TorchSharp.
/// </summary>
public sealed class TinyFaceDetectorConverterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tiny-converter-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Weights_are_dequantized_as_min_plus_scale_times_level_and_float32_is_read_as_it_is()
    {
        var manifest = TinyFaceDetectorWeights.Write(_folder, seed: 5);
        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        var first = document.RootElement[0].GetProperty("weights")[0];
        var quantization = first.GetProperty("quantization");
        var shard = File.ReadAllBytes(Path.Combine(_folder, "tiny.bin"));

        var weights = TfjsWeights.Read(manifest);

        var conv0 = weights["conv0/filters"];
        Assert.Equal([3, 3, 3, TinyFaceDetectorWeights.Channels[1]], conv0.Shape);
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

        var onnx = TfjsWeights.ToOnnxConvWeight(new TfWeight("w", [1, 2, 3, 2], values));

        // ONNX [out 2, in 3, kh 1, kw 2]: index ((o × 3 + i) × 1 + y) × 2 + x.
        Assert.Equal([0, 100, 10, 110, 20, 120, 1, 101, 11, 111, 21, 121], onnx);
    }

    [Fact]
    public void A_missing_manifest_or_shard_is_FileNotFoundException_and_nothing_is_written()
    {
        var onnx = Path.Combine(_folder, "out.onnx");
        var manifest = TinyFaceDetectorWeights.Write(_folder, seed: 1);
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
        var manifest = TinyFaceDetectorWeights.Write(_folder, seed: 2, damage);
        var onnx = Path.Combine(_folder, "out.onnx");

        var error = Assert.Throws<InvalidDataException>(() => TinyFaceDetectorConverter.Convert(manifest, onnx));

        Assert.Contains(message, error.Message);
        Assert.False(File.Exists(onnx));
    }
}
