using Face2Data.Onnx;

namespace Face2Data.Training.Export;

/// <summary>
/// A composite module (residual block, concat block, …) that writes itself into an ONNX graph. Leaf TorchSharp
/// modules are handled by <see cref="OnnxModuleTranslation.Add(OnnxGraphBuilder, TorchSharp.torch.nn.Module, string)"/>;
/// a composite calls it for its children and adds its own joining nodes (Add, Concat, …).
/// </summary>
public interface IOnnxExportable
{
    /// <summary>Adds this module's computation to <paramref name="graph"/> and returns the name of its output value.</summary>
    string AddTo(OnnxGraphBuilder graph, string input);
}
