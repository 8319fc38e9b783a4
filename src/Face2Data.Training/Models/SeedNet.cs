using Face2Data.Schema;
using Face2Data.Onnx;
using Face2Data.Training.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Training.Models;

/// <summary>
/// The Keras multi-output reference "as written": one independent convolutional branch per head (no shared
/// trunk), each ending in a dense tower and the head's output. Works for any input size the pools allow.
/// </summary>
public sealed class SeedNet : MultiHeadModel
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> branches;
    private readonly ModuleList<AttributeHeadLayer> heads;

    public SeedNet(AttributeSchema schema, int inputSize, SeedNetOptions? options = null) : base(nameof(SeedNet), schema)
    {
        options ??= new SeedNetOptions();
        if (options.Filters.Count != options.Pools.Count)
        {
            throw new ArgumentException("SeedNet needs one pool size per conv block.", nameof(options));
        }

        var side = (long)inputSize;
        foreach (var pool in options.Pools)
        {
            side /= pool;
        }

        if (side < 1)
        {
            throw new ArgumentException($"Input size {inputSize} is too small for pools {string.Join("/", options.Pools)}.", nameof(inputSize));
        }

        var flat = options.Filters[^1] * side * side;
        branches = new ModuleList<nn.Module<Tensor, Tensor>>();
        heads = new ModuleList<AttributeHeadLayer>();
        foreach (var head in schema.Heads)
        {
            branches.Add(Branch(options));
            heads.Add(new AttributeHeadLayer(head, flat, options.Tower));
        }

        RegisterComponents();
    }

    public override IReadOnlyList<AttributeHeadLayer> HeadLayers => heads.ToList();

    /// <summary>The convolutional branch of each head (for export).</summary>
    internal IReadOnlyList<nn.Module<Tensor, Tensor>> Branches => branches.ToList();

    public override IReadOnlyList<string> AddHeadsTo(OnnxGraphBuilder graph, string input) =>
        heads.Select((h, i) => h.AddTo(graph, graph.Add(branches[i], input))).ToList();

    public override Tensor[] forward(Tensor input)
    {
        var outputs = new Tensor[heads.Count];
        for (var i = 0; i < heads.Count; i++)
        {
            outputs[i] = heads[i].forward(branches[i].forward(input));
        }

        return outputs;
    }

    private static Sequential Branch(SeedNetOptions options)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        long channels = 3;
        for (var i = 0; i < options.Filters.Count; i++)
        {
            layers.Add(nn.Conv2d(channels, options.Filters[i], 3, padding: 1));
            layers.Add(nn.ReLU());
            layers.Add(BatchNormalization.Of2d(options.Filters[i]));
            layers.Add(nn.MaxPool2d(options.Pools[i], options.Pools[i]));
            layers.Add(nn.Dropout(options.ConvDropout));
            channels = options.Filters[i];
        }

        layers.Add(nn.Flatten());
        return nn.Sequential(layers);
    }
}
