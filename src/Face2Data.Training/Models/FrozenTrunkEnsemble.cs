using Face2Data.Onnx;
using Face2Data.Schema;
using Face2Data.Training.Export;
using Face2Data.Training.Features;
using Face2Data.Training.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Training.Models;

/// <summary>
/// Several trainings of one frozen-trunk model (<see cref="IFrozenTrunkModel"/>, such as runs with other seeds) run as
/// one network: the frozen trunk once, then each member's trained blocks and heads, and each head's predictions
/// averaged: class probabilities (and an age distribution's bin probabilities) for categorical and distribution heads,
/// values for plain regression heads. Averaging removes part of what one training owes to chance, and each member adds
/// only its trained part to the cost of a face.
/// </summary>
/// <remarks>
/// <c>forward</c> returns raw outputs that <see cref="Predict"/> (any member's) turns into those averages: the log of
/// the mean probabilities for categorical and distribution heads, the mean raw value for plain regression heads.
/// </remarks>
public sealed class FrozenTrunkEnsemble : nn.Module<Tensor, Tensor[]>, IMultiHeadModel
{
    private readonly ModuleList<MultiHeadModel> members;

    /// <param name="members">
    /// Two or more models of the same schema whose frozen parts have the same weights; the ensemble owns them (disposes
    /// them with itself).
    /// </param>
    /// <exception cref="ArgumentException">
    /// Fewer than two members, a member without a frozen trunk, another schema, or other frozen weights.
    /// </exception>
    public FrozenTrunkEnsemble(IReadOnlyList<MultiHeadModel> members) : base(nameof(FrozenTrunkEnsemble))
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count < 2)
        {
            throw new ArgumentException($"An ensemble needs at least two members; got {members.Count}.", nameof(members));
        }

        for (var i = 0; i < members.Count; i++)
        {
            if (members[i] is not IFrozenTrunkModel)
            {
                throw new ArgumentException($"Member {i + 1} ({members[i].GetType().Name}) has no frozen pretrained trunk to share.", nameof(members));
            }

            if (!members[i].Schema.SameHeadsAs(members[0].Schema))
            {
                throw new ArgumentException($"Member {i + 1} predicts other heads (or with other loss settings) than member 1: {members[i].Schema.ToJson()} against {members[0].Schema.ToJson()}.", nameof(members));
            }

            if (i > 0)
            {
                RequireSameFrozenWeights(members[0], "member 1", members[i], $"Member {i + 1}", "An ensemble runs one frozen trunk, so its members must be trainings of the same model from the same pretrained weights.");
            }
        }

        this.members = new ModuleList<MultiHeadModel>(members.ToArray());
        RegisterComponents();
    }

    /// <summary>The heads the ensemble predicts.</summary>
    public AttributeSchema Schema => members[0].Schema;

    /// <summary>How many trainings are averaged.</summary>
    public int Count => members.Count;

    private IFrozenTrunkModel First => (IFrozenTrunkModel)members[0];

    /// <summary>[N, 3, S, S] normalized images → each head's raw output (see the remarks).</summary>
    public override Tensor[] forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var raw = ForwardFromFrozen(First.ForwardFrozen(input));
        return raw.Select(r => r.MoveToOuterDisposeScope()).ToArray();
    }

    /// <summary>The frozen part's output (<see cref="IFrozenTrunkModel.ForwardFrozen"/>, shared) → each head's raw output.</summary>
    public Tensor[] ForwardFromFrozen(Tensor frozen)
    {
        using var scope = NewDisposeScope();
        var outputs = members.Select(m => ((IFrozenTrunkModel)m).ForwardFromFrozen(frozen)).ToList();
        var count = Math.Log(members.Count);
        return Schema.Heads.Select((head, h) =>
        {
            var raws = outputs.Select(o => o[h]).ToArray();
            var combined = AttributeHeadLayer.HasProbabilities(head)
                ? torch.stack(raws.Select(r => r.log_softmax(1)).ToArray()).logsumexp(0).Minus(count)
                : torch.stack(raws).mean([0]);
            return combined.MoveToOuterDisposeScope();
        }).ToArray();
    }

    /// <summary>Raw outputs (from <c>forward</c>) → predictions: the members' averaged probabilities or values.</summary>
    public Tensor[] Predict(Tensor[] raw) => members[0].Predict(raw);

    /// <inheritdoc />
    public IReadOnlyList<string> AddHeadsTo(OnnxGraphBuilder graph, string input)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var frozen = First.FrozenPart.AddTo(graph, input);
        var values = members.Select(m => ((IFrozenTrunkModel)m).AddHeadsFromFrozen(graph, frozen)).ToList();
        // A member's categorical value is logits; regression values are already the prediction. The log of the mean
        // probabilities is returned as the logits, so the exporter's softmax gives that mean back.
        return Schema.Heads.Select((head, h) => head.Kind == HeadKind.Categorical
            ? graph.Log(graph.Mean(values.Select(v => graph.Softmax(v[h], axis: 1)).ToList()))
            : graph.Mean(values.Select(v => v[h]).ToList())).ToList();
    }

    /// <summary>
    /// Throws unless every parameter and buffer outside the trained part of <paramref name="other"/> equals
    /// <paramref name="reference"/>'s, that is unless both models' frozen parts compute the same features.
    /// </summary>
    /// <param name="reference">The model whose frozen part is taken as given.</param>
    /// <param name="referenceName">How the message names it, such as "member 1".</param>
    /// <param name="other">The model checked.</param>
    /// <param name="otherName">How the message names it, at the start of a sentence.</param>
    /// <param name="why">The sentence that ends the message: why the two must share the frozen part.</param>
    /// <exception cref="ArgumentException">A frozen weight differs, or the two freeze different weights.</exception>
    public static void RequireSameFrozenWeights(MultiHeadModel reference, string referenceName, MultiHeadModel other, string otherName, string why)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(other);
        if (reference is not IFrozenTrunkModel || other is not IFrozenTrunkModel)
        {
            throw new ArgumentException($"{otherName} or {referenceName} has no frozen pretrained trunk.", nameof(other));
        }

        var firstFrozen = FrozenTensors(reference);
        var otherFrozen = FrozenTensors(other);
        if (!firstFrozen.Keys.Order(StringComparer.Ordinal).SequenceEqual(otherFrozen.Keys.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            throw new ArgumentException($"{otherName}'s frozen part holds other weights than {referenceName}'s: it trains other blocks. {why}", nameof(other));
        }

        using var noGrad = torch.no_grad();
        foreach (var (name, tensor) in firstFrozen)
        {
            var candidate = otherFrozen[name];
            if (!tensor.shape.SequenceEqual(candidate.shape) || !Equal(tensor, candidate))
            {
                throw new ArgumentException($"{otherName}'s frozen weight '{name}' differs from {referenceName}'s. {why}", nameof(other));
            }
        }
    }

    private static bool Equal(Tensor a, Tensor b)
    {
        using var same = a.eq(b).all();
        return same.item<bool>();
    }

    private static Dictionary<string, Tensor> FrozenTensors(MultiHeadModel model)
    {
        var trained = ((IFrozenTrunkModel)model).TrainableParameters().Select(p => p.Handle).ToHashSet();
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!trained.Contains(parameter.Handle))
            {
                tensors[name] = parameter;
            }
        }

        foreach (var (name, buffer) in model.named_buffers())
        {
            tensors[name] = buffer;
        }

        return tensors;
    }
}
