using Face2Data.Schema;
using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Models;

/// <summary>
/// Attribute heads on face-api.js's face recognition network (<see cref="FaceRecognitionResNet"/>): transfer learning
/// from a network trained on millions of faces to tell people apart. Built with random weights; load the published
/// trunk weights with <see cref="Trunk"/>'s <see cref="FaceRecognitionResNet.LoadFaceApiWeights"/>.
/// </summary>
public sealed class FaceResNet : SharedTrunkModel
{
    public FaceResNet(AttributeSchema schema, int inputSize = FaceRecognitionResNet.NativeInputSize, FaceResNetOptions? options = null)
        : this(schema, options ?? new FaceResNetOptions(), new FaceRecognitionResNet(inputSize, (options ?? new FaceResNetOptions()).Levels))
    {
    }

    private FaceResNet(AttributeSchema schema, FaceResNetOptions options, FaceRecognitionResNet trunk)
        : base(nameof(FaceResNet), schema, [trunk], trunk.Width, options.Tower)
    {
        Trunk = trunk;
    }

    /// <summary>The pretrained network the heads read.</summary>
    public FaceRecognitionResNet Trunk { get; }
}
