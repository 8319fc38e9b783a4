using Face2Data.Onnx;
using Face2Data.Schema;
using Face2Data.Training.Export;
using Face2Data.Training.Features;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Models;

/// <summary>
/// Attribute heads on face-api.js's face recognition network (<see cref="FaceRecognitionResNet"/>): transfer learning
/// from a network trained on millions of faces to tell people apart, optionally beside face-api.js's age and gender
/// network (<see cref="AgeGenderXception"/>, frozen), whose features are concatenated after the ResNet's. Built with
/// random weights; load the published ones with <see cref="Trunk"/>'s <see cref="FaceRecognitionResNet.LoadFaceApiWeights"/>
/// and <see cref="AgeGenderTrunk"/>'s <see cref="AgeGenderXception.LoadFaceApiWeights"/>.
/// </summary>
public sealed class FaceResNet : SharedTrunkModel, IFrozenTrunkModel
{
    public FaceResNet(AttributeSchema schema, int inputSize = FaceRecognitionResNet.NativeInputSize, FaceResNetOptions? options = null)
        : this(schema, options ?? new FaceResNetOptions(), new FaceTrunks(inputSize, options ?? new FaceResNetOptions()))
    {
    }

    // Without the second trunk the ResNet is the trunk itself, so earlier checkpoints keep their parameter names.
    private FaceResNet(AttributeSchema schema, FaceResNetOptions options, FaceTrunks trunks)
        : base(nameof(FaceResNet), schema, [trunks.AgeGender is null ? trunks.ResNet : trunks], trunks.Width, options.Tower)
    {
        Trunk = trunks.ResNet;
        AgeGenderTrunk = trunks.AgeGender;
    }

    /// <summary>The pretrained network the heads read.</summary>
    public FaceRecognitionResNet Trunk { get; }

    /// <summary>face-api.js's age and gender trunk, when <see cref="FaceResNetOptions.AgeGenderFeatures"/> is set.</summary>
    public AgeGenderXception? AgeGenderTrunk { get; }

    /// <inheritdoc />
    public IOnnxExportable FrozenPart => new FrozenTrunks(this);

    /// <inheritdoc />
    public int FrozenWidth => Trunk.FrozenWidth + (AgeGenderTrunk?.Width ?? 0);

    /// <inheritdoc />
    public Tensor[] ForwardFromFrozen(Tensor frozen)
    {
        using var scope = NewDisposeScope();
        var features = AgeGenderTrunk is null
            ? Trunk.ForwardTrained(frozen)
            : torch.cat([Trunk.ForwardTrained(frozen[.., ..Trunk.FrozenWidth]), frozen[.., Trunk.FrozenWidth..]], 1);
        return HeadLayers.Select(h => h.forward(features).MoveToOuterDisposeScope()).ToArray();
    }

    /// <inheritdoc />
    public Tensor ForwardFrozen(Tensor images)
    {
        if (AgeGenderTrunk is null)
        {
            return Trunk.ForwardFrozen(images);
        }

        using var scope = NewDisposeScope();
        return torch.cat([Trunk.ForwardFrozen(images), AgeGenderTrunk.forward(images)], 1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public IReadOnlyList<string> AddHeadsFromFrozen(OnnxGraphBuilder graph, string frozen)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var features = AgeGenderTrunk is null
            ? Trunk.AddTrained(graph, frozen)
            : graph.Concat([Trunk.AddTrained(graph, graph.Slice(frozen, 1, 0, Trunk.FrozenWidth)), graph.Slice(frozen, 1, Trunk.FrozenWidth, FrozenWidth)], axis: 1);
        return HeadLayers.Select(h => h.AddTo(graph, features)).ToList();
    }

    /// <inheritdoc />
    public IEnumerable<Parameter> TrainableParameters() => HeadLayers.SelectMany(h => h.parameters()).Concat(Trunk.TrainedParameters);

    /// <inheritdoc />
    /// <remarks>
    /// The face recognition ResNet's frozen blocks. The age and gender network stays frozen: it learnt ages from more
    /// data than UTKFace (face-api.js names seven age datasets), which fine-tuning on UTKFace alone could wear away, and
    /// its depthwise convolutions are slow to train on a CPU.
    /// </remarks>
    public IEnumerable<Parameter> FineTunableParameters() => Trunk.FrozenParameters;

    // The frozen part: the ResNet's, then the age and gender trunk's features.
    private sealed class FrozenTrunks(FaceResNet model) : IOnnxExportable
    {
        public string AddTo(OnnxGraphBuilder graph, string input)
        {
            var resnet = model.Trunk.Frozen.AddTo(graph, input);
            return model.AgeGenderTrunk is null ? resnet : graph.Concat([resnet, model.AgeGenderTrunk.AddTo(graph, input)], axis: 1);
        }
    }
}

/// <summary>The face recognition ResNet and, optionally, the age and gender trunk, run on the same image; their features side by side.</summary>
internal sealed class FaceTrunks : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly FaceRecognitionResNet resnet;
    private readonly AgeGenderXception? ageGender;

    public FaceTrunks(int inputSize, FaceResNetOptions options) : base(nameof(FaceTrunks))
    {
        resnet = new FaceRecognitionResNet(inputSize, options.Levels, options.TrainedBlocks);
        ageGender = options.AgeGenderFeatures ? new AgeGenderXception(inputSize, networkSize: options.AgeGenderInputSize) : null;
        RegisterComponents();
    }

    public FaceRecognitionResNet ResNet => resnet;

    public AgeGenderXception? AgeGender => ageGender;

    public int Width => resnet.Width + (ageGender?.Width ?? 0);

    public override Tensor forward(Tensor input)
    {
        if (ageGender is null)
        {
            return resnet.forward(input);
        }

        using var scope = NewDisposeScope();
        return torch.cat([resnet.forward(input), ageGender.forward(input)], 1).MoveToOuterDisposeScope();
    }

    public string AddTo(OnnxGraphBuilder graph, string input) =>
        ageGender is null ? resnet.AddTo(graph, input) : graph.Concat([resnet.AddTo(graph, input), ageGender.AddTo(graph, input)], axis: 1);
}
