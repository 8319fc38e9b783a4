using Face2Data.Core.Schema;
using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Models;

/// <summary>
/// A network with one output per schema head. <c>forward</c> returns the heads' raw outputs in schema order
/// (see <see cref="AttributeHeadLayer"/>).
/// </summary>
public abstract class MultiHeadModel : nn.Module<Tensor, Tensor[]>
{
    protected MultiHeadModel(string name, AttributeSchema schema) : base(name)
    {
        Schema = schema;
    }

    /// <summary>The heads this model predicts.</summary>
    public AttributeSchema Schema { get; }

    /// <summary>The head layers, in schema order.</summary>
    public abstract IReadOnlyList<AttributeHeadLayer> HeadLayers { get; }

    /// <summary>Raw outputs → predictions (probabilities or values), one tensor per head.</summary>
    public Tensor[] Predict(Tensor[] raw) => HeadLayers.Select((layer, i) => layer.Predict(raw[i])).ToArray();
}
