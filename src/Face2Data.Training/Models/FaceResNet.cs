using Face2Data.Schema;
using Face2Data.Training.Export;
using Face2Data.Training.Features;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Models;

/// <summary>
/// Attribute heads on face-api.js's face recognition network (<see cref="FaceRecognitionResNet"/>): transfer learning
/// from a network trained on millions of faces to tell people apart. Built with random weights; load the published
/// trunk weights with <see cref="Trunk"/>'s <see cref="FaceRecognitionResNet.LoadFaceApiWeights"/>.
/// </summary>
public sealed class FaceResNet : SharedTrunkModel, IFrozenTrunkModel
{
    public FaceResNet(AttributeSchema schema, int inputSize = FaceRecognitionResNet.NativeInputSize, FaceResNetOptions? options = null)
        : this(schema, options ?? new FaceResNetOptions(), CreateTrunk(inputSize, options ?? new FaceResNetOptions()))
    {
    }

    private FaceResNet(AttributeSchema schema, FaceResNetOptions options, FaceRecognitionResNet trunk)
        : base(nameof(FaceResNet), schema, [trunk], trunk.Width, options.Tower)
    {
        Trunk = trunk;
    }

    /// <summary>The pretrained network the heads read.</summary>
    public FaceRecognitionResNet Trunk { get; }

    /// <inheritdoc />
    public IOnnxExportable FrozenPart => Trunk.Frozen;

    /// <inheritdoc />
    public int FrozenWidth => Trunk.FrozenWidth;

    /// <inheritdoc />
    public Tensor[] ForwardFromFrozen(Tensor frozen)
    {
        using var scope = NewDisposeScope();
        var features = Trunk.ForwardTrained(frozen);
        return HeadLayers.Select(h => h.forward(features).MoveToOuterDisposeScope()).ToArray();
    }

    /// <inheritdoc />
    public IEnumerable<Parameter> TrainableParameters() => HeadLayers.SelectMany(h => h.parameters()).Concat(Trunk.TrainedParameters);

    private static FaceRecognitionResNet CreateTrunk(int inputSize, FaceResNetOptions options) => new(inputSize, options.Levels, options.TrainedBlocks);
}
