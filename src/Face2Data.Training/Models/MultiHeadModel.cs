using Face2Data.Schema;
using Face2Data.Onnx;
using Face2Data.Training.Export;
using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Models;

/// <summary>
/// A network with one output per schema head. <c>forward</c> returns the heads' raw outputs in schema order
/// (see <see cref="AttributeHeadLayer"/>).
/// </summary>
public abstract class MultiHeadModel : nn.Module<Tensor, Tensor[]>, IMultiHeadModel
{
    protected MultiHeadModel(string name, AttributeSchema schema) : base(name)
    {
        Schema = schema;
    }

    /// <summary>The heads this model predicts.</summary>
    public AttributeSchema Schema { get; }

    /// <summary>The head layers, in schema order.</summary>
    public abstract IReadOnlyList<AttributeHeadLayer> HeadLayers { get; }

    /// <inheritdoc />
    public abstract IReadOnlyList<string> AddHeadsTo(OnnxGraphBuilder graph, string input);

    /// <summary>Raw outputs → predictions (probabilities or values), one tensor per head.</summary>
    public Tensor[] Predict(Tensor[] raw) => HeadLayers.Select((layer, i) => layer.Predict(raw[i])).ToArray();
}
