using Face2Data.Inference;
using Face2Data.IO;
using Face2Data.Schema;
using Microsoft.ML.OnnxRuntime;

namespace Face2Data.Onnx.Converters;

// The check every converter makes before it writes a file: ONNX Runtime loads the graph and runs it once on zeros.
internal static class ConvertedGraph
{
    // The creation time written into converted attribute models: fixed, so converting the same weights twice gives the same bytes.
    public static DateTimeOffset ReproducibleCreated { get; } = new(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Checks a converted attribute model (VerifyAttributeModel) and only then writes it, atomically.
    public static void WriteAttributeModel(byte[] bytes, string outputPath)
    {
        VerifyAttributeModel(bytes);
        AtomicFile.Write(outputPath, stream => stream.Write(bytes));
    }

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

    // A converted Face2Data attribute model: it loads as one, and two blank faces give a finite value for every
    // regression head and probabilities summing to 1 for every categorical head.
    public static void VerifyAttributeModel(byte[] bytes)
    {
        try
        {
            using var model = OnnxFaceModel.Load(bytes, new OnnxFaceModelOptions { IntraOpThreads = 1 });
            var outputs = model.Predict(new float[2 * model.Manifest.Preprocessing.TensorLength], 2);
            foreach (var head in model.Schema.Heads)
            {
                for (var face = 0; face < 2; face++)
                {
                    var row = outputs.Row(head.Name, face).ToArray();
                    var fine = head.Kind == HeadKind.Regression ? float.IsFinite(row[0]) : Math.Abs(row.Sum() - 1) <= 1e-4;
                    if (!fine)
                    {
                        throw new InvalidOperationException($"The converted graph gives no finite {(head.Kind == HeadKind.Regression ? "value" : "probabilities")} for head '{head.Name}' on a blank face.");
                    }
                }
            }
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidOperationException($"ONNX Runtime rejects the converted graph: {ex.Message}", ex);
        }
    }
}
