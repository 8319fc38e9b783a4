using Face2Data.Schema;
using Face2Data.Onnx;
using Face2Data.Training.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Face2Data.Training.Runtime;

namespace Face2Data.Training.Models;

/// <summary>
/// One head: a small tower and an output layer sized by the head. <c>forward</c> returns the raw output the loss
/// reads (logits for a categorical head, bin logits for a <c>distribution</c> regression head, the value scaled
/// to [0, 1] of the head's range for an <c>l1</c>/<c>mse</c> regression head); <see cref="Predict"/> turns it into
/// what users see (probabilities, or a value in the head's units).
/// </summary>
public sealed class AttributeHeadLayer : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly nn.Module<Tensor, Tensor> tower;
    private readonly Linear output;

    public AttributeHeadLayer(AttributeHead head, long inFeatures, HeadTowerOptions options) : base(nameof(AttributeHeadLayer))
    {
        Head = head;
        var layers = new List<nn.Module<Tensor, Tensor>>();
        var features = inFeatures;
        if (options.Hidden > 0)
        {
            layers.Add(nn.Linear(inFeatures, options.Hidden));
            layers.Add(nn.ReLU());
            if (options.BatchNorm)
            {
                layers.Add(BatchNormalization.Of1d(options.Hidden));
            }

            features = options.Hidden;
        }

        if (options.Dropout > 0)
        {
            layers.Add(nn.Dropout(options.Dropout));
        }

        tower = nn.Sequential(layers);
        output = nn.Linear(features, RawOutputSize(head));
        BinCenters = IsDistribution(head) ? CentersOf(head) : null;
        RegisterComponents();
        if (BinCenters is not null)
        {
            register_buffer("bin_centers", BinCenters, persistent: false);
        }
    }

    /// <summary>The schema head this layer predicts.</summary>
    public AttributeHead Head { get; }

    /// <summary>Ages (or values) of the bins of a distribution head; null otherwise.</summary>
    internal Tensor? BinCenters { get; }

    /// <summary>The tower (for export).</summary>
    internal nn.Module<Tensor, Tensor> Tower => tower;

    /// <summary>The output layer (for export).</summary>
    internal Linear Output => output;

    /// <summary>Adds one value per class to a categorical head's logits (the output layer's bias).</summary>
    public void ShiftLogits(IReadOnlyList<double> shift)
    {
        ArgumentNullException.ThrowIfNull(shift);
        if (Head.Kind != HeadKind.Categorical)
        {
            throw new ArgumentException($"The {Head.Name} head is not categorical; it has no class logits to shift.", nameof(shift));
        }

        if (shift.Count != Head.Classes.Count)
        {
            throw new ArgumentException($"The {Head.Name} head takes one logit shift per class ({Head.Classes.Count}), not {shift.Count}.", nameof(shift));
        }

        if (shift.Any(s => !double.IsFinite(s)))
        {
            throw new ArgumentException("Every logit shift must be finite.", nameof(shift));
        }

        var bias = output.bias ?? throw new InvalidOperationException($"The {Head.Name} head's output layer has no bias.");
        using (torch.no_grad())
        {
            using var values = torch.tensor(shift.Select(s => (float)s).ToArray());
            bias.add_(values, Scalars.One);
        }
    }

    /// <summary>True when a regression head predicts a distribution over integer bins.</summary>
    public static bool IsDistribution(AttributeHead head) => head.Kind == HeadKind.Regression && head.EffectiveLoss == "distribution";

    /// <summary>True when the head's raw output is logits over classes or bins (categorical and distribution heads).</summary>
    public static bool HasProbabilities(AttributeHead head) => head.Kind == HeadKind.Categorical || IsDistribution(head);

    /// <summary>The bin centres of a distribution head, float32: Min, Min + 1, …, one per raw output.</summary>
    public static Tensor CentersOf(AttributeHead head) =>
        torch.tensor(Enumerable.Range(0, RawOutputSize(head)).Select(i => (float)(head.Min + i)).ToArray());

    /// <summary>Width of the raw output: classes, bins, or 1.</summary>
    public static int RawOutputSize(AttributeHead head) => head.Kind switch
    {
        HeadKind.Categorical => head.Classes.Count,
        _ when IsDistribution(head) => (int)Math.Round(head.Max - head.Min) + 1,
        _ => 1,
    };

    public override Tensor forward(Tensor features) => output.forward(tower.forward(features));

    /// <summary>
    /// Adds the tower and output to an ONNX graph: logits for a categorical head (the exporter appends the
    /// softmax), the value in the head's units [N, 1] for a regression head.
    /// </summary>
    public string AddTo(OnnxGraphBuilder graph, string input)
    {
        var raw = graph.Add(output, graph.Add(tower, input));
        if (Head.Kind == HeadKind.Categorical)
        {
            return raw;
        }

        if (BinCenters is not null)
        {
            var centers = graph.AddInitializer("bin_centers", BinCenters.data<float>().ToArray(), BinCenters.shape[0], 1);
            return graph.MatMul(graph.Softmax(raw, 1), centers);
        }

        var range = graph.AddInitializer("range", [Head.Max - Head.Min], 1);
        var offset = graph.AddInitializer("min", [Head.Min], 1);
        return graph.Add(graph.Mul(raw, range), offset);
    }

    /// <summary>
    /// Raw output → prediction: class probabilities [N, C] for a categorical head, the value in the head's units
    /// [N] for a regression head.
    /// </summary>
    public Tensor Predict(Tensor raw)
    {
        if (Head.Kind == HeadKind.Categorical)
        {
            return raw.softmax(1);
        }

        if (BinCenters is not null)
        {
            return raw.softmax(1).matmul(BinCenters.to(raw.device));
        }

        return raw.squeeze(1).Times(Head.Max - Head.Min).Plus(Head.Min);
    }
}
