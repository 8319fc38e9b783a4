using Microsoft.ML.OnnxRuntime;

namespace Face2Data.Onnx.Converters;

// The check every converter makes before it writes a file: ONNX Runtime loads the graph and runs it once on zeros.
internal static class ConvertedGraph
{
    // The shapes of `outputs` after one run on a zero tensor of shape `dims` fed to `input`.
    // InvalidOperationException when ONNX Runtime rejects the graph.
    public static long[][] OutputShapes(byte[] bytes, string input, long[] dims, IReadOnlyList<string> outputs)
    {
        try
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1 };
            using var session = new InferenceSession(bytes, options);
            var data = new float[dims.Aggregate(1L, (product, d) => product * d)];
            using var value = OrtValue.CreateTensorValueFromMemory(data, dims);
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, [input], [value], outputs.Count == 0 ? session.OutputNames.ToArray() : outputs.ToArray());
            return results.Select(r => r.GetTensorTypeAndShape().Shape).ToArray();
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidOperationException($"ONNX Runtime rejects the converted graph: {ex.Message}", ex);
        }
    }

    // The first input's name and a shape for it: its fixed dimensions, 1 for a free batch and 64 for a free side.
    public static (string Name, long[] Dims) FirstInput(byte[] bytes)
    {
        try
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1 };
            using var session = new InferenceSession(bytes, options);
            var input = session.InputMetadata.First();
            return (input.Key, input.Value.Dimensions.Select((d, i) => d > 0 ? (long)d : i >= 2 ? 64L : 1L).ToArray());
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidOperationException($"ONNX Runtime rejects the converted graph: {ex.Message}", ex);
        }
    }
}
