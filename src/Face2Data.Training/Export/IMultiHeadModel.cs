using Face2Data.Onnx;

namespace Face2Data.Training.Export;

/// <summary>A model with one output per schema head, exportable to ONNX by <see cref="OnnxExporter"/>.</summary>
public interface IMultiHeadModel
{
    /// <summary>
    /// Adds the whole network to <paramref name="graph"/>, fed by the image value <paramref name="input"/>, and returns
    /// one value name per schema head in schema order. Each value holds what the model's forward pass returns for that
    /// head: logits [N, classes] for categorical heads, the prediction [N, 1] for regression heads.
    /// </summary>
    IReadOnlyList<string> AddHeadsTo(OnnxGraphBuilder graph, string input);
}
