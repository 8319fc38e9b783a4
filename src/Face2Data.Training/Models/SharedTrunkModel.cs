using Face2Data.Schema;
using Face2Data.Onnx;
using Face2Data.Training.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Training.Models;

/// <summary>
/// A network whose heads all read the same pooled features: one trunk (ending in a flat feature vector), then a tower
/// and output per head. Adding a head costs almost nothing.
/// </summary>
public abstract class SharedTrunkModel : MultiHeadModel
{
    private readonly Sequential trunk;
    private readonly ModuleList<AttributeHeadLayer> heads;

    /// <param name="name">Module name.</param>
    /// <param name="schema">The heads to predict.</param>
    /// <param name="trunkLayers">Layers from the image to a flat feature vector of <paramref name="features"/> values.</param>
    /// <param name="features">Width of the trunk's output.</param>
    /// <param name="tower">Each head's tower.</param>
    protected SharedTrunkModel(string name, AttributeSchema schema, IList<nn.Module<Tensor, Tensor>> trunkLayers, long features, HeadTowerOptions tower)
        : base(name, schema)
    {
        trunk = nn.Sequential(trunkLayers);
        heads = new ModuleList<AttributeHeadLayer>(schema.Heads.Select(h => new AttributeHeadLayer(h, features, tower)).ToArray());
        // Registered by name: RegisterComponents in a derived class does not see a base class's private fields.
        register_module(nameof(trunk), trunk);
        register_module(nameof(heads), heads);
    }

    public override IReadOnlyList<AttributeHeadLayer> HeadLayers => heads.ToList();

    public override IReadOnlyList<string> AddHeadsTo(OnnxGraphBuilder graph, string input)
    {
        var features = graph.Add(trunk, input);
        return heads.Select(h => h.AddTo(graph, features)).ToList();
    }

    public override Tensor[] forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var features = trunk.forward(input);
        return heads.Select(h => h.forward(features).MoveToOuterDisposeScope()).ToArray();
    }
}
