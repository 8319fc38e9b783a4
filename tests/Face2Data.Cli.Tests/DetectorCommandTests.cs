using Face2Data.Cli.Commands;
using Microsoft.ML.OnnxRuntime;

namespace Face2Data.Cli.Tests;

/// <summary><c>face2data detector convert-graph</c> on a one-operator TensorFlow.js graph model written here.</summary>
public sealed class DetectorCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("convert-graph-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Convert_graph_writes_an_onnx_model_with_mediapipe_normalisation_in_front()
    {
        var model = WriteModel("Relu");
        var onnx = Path.Combine(_folder, "relu.onnx");

        var code = DetectorCommand.Create().Parse(["convert-graph", "--model", model, "--out", onnx, "--normalize", "mediapipe"]).Invoke();

        Assert.Equal(0, code);
        using var session = new InferenceSession(onnx);
        Assert.Equal([1, 3, 2, 2], session.InputMetadata["input"].Dimensions);
        float[] pixels = [0, 127.5f, 255, 63.75f, 0, 0, 0, 0, 0, 0, 0, 0];
        using var value = OrtValue.CreateTensorValueFromMemory(pixels, [1, 3, 2, 2]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input"], [value], ["out"]);
        // relu(x / 127.5 − 1), NHWC: the red channel of the four pixels is 0, 0, 1, 0.
        var result = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal([0f, 0f, 0f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 0f], result.Select(v => MathF.Round(v, 5)));
    }

    [Fact]
    public void Convert_graph_refuses_an_unsupported_operator_and_writes_nothing()
    {
        var model = WriteModel("TopKV2");
        var onnx = Path.Combine(_folder, "x.onnx");

        var code = DetectorCommand.Create().Parse(["convert-graph", "--model", model, "--out", onnx]).Invoke();

        // (face2data's CommandErrors turns the InvalidDataException naming 'TopKV2' and node 'out' into one line.)
        Assert.NotEqual(0, code);
        Assert.False(File.Exists(onnx));
    }

    private string WriteModel(string op)
    {
        var path = Path.Combine(_folder, "model.json");
        File.WriteAllText(path, """
            {"format": "graph-model", "modelTopology": {"node": [
              {"name": "input", "op": "Placeholder", "attr": {"dtype": {"type": "DT_FLOAT"}, "shape": {"shape": {"dim": [{"size": "1"}, {"size": "2"}, {"size": "2"}, {"size": "3"}]}}}},
              {"name": "out", "op": "OP", "input": ["input"]}
            ]}, "weightsManifest": []}
            """.Replace("OP", op, StringComparison.Ordinal));
        return path;
    }
}
