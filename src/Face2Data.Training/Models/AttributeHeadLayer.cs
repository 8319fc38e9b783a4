using Face2Data.Core.Schema;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Training.Models;

/// <summary>
/// One head: a small tower and an output layer sized by the head. <c>forward</c> returns the raw output the loss
/// reads (logits for a categorical head, bin logits for a <c>distribution</c> regression head, the value scaled
/// to [0, 1] of the head's range for an <c>l1</c>/<c>mse</c> regression head); <see cref="Predict"/> turns it into
/// what users see (probabilities, or a value in the head's units).
/// </summary>
public sealed class AttributeHeadLayer : nn.Module<Tensor, Tensor>
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
                layers.Add(nn.BatchNorm1d(options.Hidden));
            }

            features = options.Hidden;
        }

        if (options.Dropout > 0)
        {
            layers.Add(nn.Dropout(options.Dropout));
        }

        tower = nn.Sequential(layers);
        output = nn.Linear(features, RawOutputSize(head));
        BinCenters = IsDistribution(head) ? torch.arange(head.Min, head.Max + 0.5, 1.0, dtype: ScalarType.Float32) : null;
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

    /// <summary>True when a regression head predicts a distribution over integer bins.</summary>
    public static bool IsDistribution(AttributeHead head) => head.Kind == HeadKind.Regression && head.EffectiveLoss == "distribution";

    /// <summary>Width of the raw output: classes, bins, or 1.</summary>
    public static int RawOutputSize(AttributeHead head) => head.Kind switch
    {
        HeadKind.Categorical => head.Classes.Count,
        _ when IsDistribution(head) => (int)Math.Round(head.Max - head.Min) + 1,
        _ => 1,
    };

    public override Tensor forward(Tensor features) => output.forward(tower.forward(features));

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

        return raw.squeeze(1) * (Head.Max - Head.Min) + Head.Min;
    }
}
