using Face2Data.Detection;
using Face2Data.Onnx.Converters;
using Microsoft.ML.OnnxRuntime;

namespace Face2Data.Onnx.Tests.Converters;

/// <summary>
/// <see cref="FaceLandmark68Converter"/> on small stand-ins with the 68-point landmark network's layouts (full: four
/// dense blocks of four convolutions; tiny: three of three) and on files that are not those weights. Training.Tests
/// checks the converted graph's output against the network computed with TorchSharp.
/// </summary>
public sealed class FaceLandmark68ConverterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("landmark-converter-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(4, 4)]
    [InlineData(3, 3)]
    public void Both_layouts_convert_to_a_graph_of_one_112_pixel_face_to_136_values(int blocks, int convolutions)
    {
        var manifest = FaceLandmark68Weights.Write(_folder, seed: 1, blocks, convolutions);
        var onnx = Path.Combine(_folder, "landmarks.onnx");

        FaceLandmark68Converter.Convert(manifest, onnx);

        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(onnx, options);
        Assert.Equal([-1, 3, 112, 112], session.InputMetadata[FaceLandmark68Landmarker.InputName].Dimensions);
        Assert.Equal([-1, 136], session.OutputMetadata[FaceLandmark68Landmarker.OutputName].Dimensions);
        // One stride-2 first convolution per block, and blocks − 1 separable ones of 3 × 3 (depthwise) + 1 × 1 each.
        var model = Face2Data.Onnx.Protobuf.ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx));
        Assert.Equal(1 + (((blocks * convolutions) - 1) * 2), model.Graph.Node.Count(n => n.OpType == "Conv"));
    }

    [Fact]
    public void Weights_without_the_output_layer_are_InvalidDataException_and_nothing_is_written()
    {
        var manifest = FaceLandmark68Weights.Write(_folder, seed: 2, damage: "no-fc");
        var onnx = Path.Combine(_folder, "none.onnx");

        var error = Assert.Throws<InvalidDataException>(() => FaceLandmark68Converter.Convert(manifest, onnx));

        Assert.Contains("fc/weights", error.Message);
        Assert.False(File.Exists(onnx));
    }

    [Fact]
    public void An_output_layer_of_other_than_136_values_is_refused()
    {
        var manifest = FaceLandmark68Weights.Write(_folder, seed: 3, damage: "wide-output");

        var error = Assert.Throws<InvalidDataException>(() => FaceLandmark68Converter.Convert(manifest, Path.Combine(_folder, "wide.onnx")));

        Assert.Contains("140 values", error.Message);
    }

    [Fact]
    public void The_Tiny_Face_Detectors_weights_are_not_taken_for_a_landmark_network()
    {
        var manifest = TinyFaceDetectorWeights.Write(_folder, seed: 4);

        var error = Assert.Throws<InvalidDataException>(() => FaceLandmark68Converter.Convert(manifest, Path.Combine(_folder, "tiny.onnx")));

        Assert.Contains("no dense blocks", error.Message);
    }
}
