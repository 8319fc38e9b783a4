using Face2Data.Onnx;

namespace Face2Data.Training.Tests.Inference;

/// <summary>
/// An ONNX graph with YuNet's input and twelve outputs (cls, obj, bbox, kps at strides 8, 16, 32) whose face score
/// at stride 8 is the brightness of each 8×8 cell (0 for black, 1 for white) and 0 at the other strides, and whose
/// box at every cell is a square of <see cref="BoxCells"/> cells centred on it. OpenCV's <c>FaceDetectorYN</c>
/// decodes it like the real network, so a white square on black is "a face" at a known place.
/// </summary>
internal static class FakeYuNet
{
    /// <summary>Side of every box, in stride-8 cells.</summary>
    public const int BoxCells = 12;

    public static void Write(string path, int inputSize)
    {
        var graph = new OnnxGraphBuilder("fake_yunet");
        var input = graph.AddInput("input", [OnnxDimension.Fixed(1), OnnxDimension.Fixed(3), OnnxDimension.Fixed(inputSize), OnnxDimension.Fixed(inputSize)]);
        int[] strides = [8, 16, 32];
        var outputs = new List<(string Name, long Cells, int Channels)>();
        foreach (var stride in strides)
        {
            var cells = (long)(inputSize / stride) * (inputSize / stride);
            var pooled = graph.AveragePool(input, [stride, stride], [stride, stride], [0, 0, 0, 0]);
            // blobFromImage gives 0–255 per channel: the mean of three channels over 765 is the cell's brightness.
            var brightness = stride == 8 ? 1f / 765 : 0f;
            outputs.Add((Head(graph, pooled, $"cls_{stride}", [brightness, brightness, brightness], [0f], cells), cells, 1));
            outputs.Add((Head(graph, pooled, $"obj_{stride}", [brightness, brightness, brightness], [0f], cells), cells, 1));
            outputs.Add((Head(graph, pooled, $"bbox_{stride}", new float[12], [0.5f, 0.5f, MathF.Log(BoxCells), MathF.Log(BoxCells)], cells), cells, 4));
            outputs.Add((Head(graph, pooled, $"kps_{stride}", new float[30], new float[10], cells), cells, 10));
        }

        // OpenCV's ONNX importer wants every graph output's shape stated.
        foreach (var (name, cells, channels) in outputs)
        {
            graph.AddOutput(name, [OnnxDimension.Fixed(1), OnnxDimension.Fixed(cells), OnnxDimension.Fixed(channels)]);
        }

        File.WriteAllBytes(path, graph.ToModelBytes(new Dictionary<string, string>()));
    }

    // A 1×1 convolution of the pooled cells to C channels, laid out as YuNet's [1, cells, C].
    private static string Head(OnnxGraphBuilder graph, string pooled, string name, float[] weights, float[] bias, long cells)
    {
        var channels = bias.Length;
        var weight = graph.AddInitializer(name + "_w", weights, channels, 3, 1, 1);
        var conv = graph.Conv(pooled, weight, graph.AddInitializer(name + "_b", bias, channels), [1, 1], [1, 1], [0, 0, 0, 0], [1, 1]);
        graph.Reserve(name);
        var flat = graph.Node("Reshape", [conv, graph.AddInitializer(name + "_shape", [1L, channels, cells], 3)]);
        return graph.Node("Transpose", [flat], [OnnxAttribute.Ints("perm", 0L, 2L, 1L)], output: name);
    }
}
