using Face2Data.Onnx;
using Face2Data.Training.Export;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Training.Features;

/// <summary>
/// A model whose pretrained trunk is (mostly) frozen: the frozen part's output can be computed once and cached
/// (<see cref="FeatureCache"/>), and training then runs only from there (<see cref="FeatureHeadTrainer"/>).
/// </summary>
public interface IFrozenTrunkModel
{
    /// <summary>The frozen part, from the image to what training reads, as an ONNX-exportable module.</summary>
    IOnnxExportable FrozenPart { get; }

    /// <summary>Width of the frozen part's output.</summary>
    int FrozenWidth { get; }

    /// <summary>[N, 3, S, S] normalized images → the frozen part's output [N, <see cref="FrozenWidth"/>], as <see cref="FrozenPart"/> computes it.</summary>
    Tensor ForwardFrozen(Tensor images);

    /// <summary>The frozen part's output [N, <see cref="FrozenWidth"/>] → each head's raw output, as <c>forward</c> gives it from images.</summary>
    Tensor[] ForwardFromFrozen(Tensor frozen);

    /// <summary>
    /// Adds the part after the frozen one to an ONNX graph, fed by <paramref name="frozen"/> (the frozen part's output),
    /// and returns each head's value as <see cref="IMultiHeadModel.AddHeadsTo"/> does.
    /// </summary>
    IReadOnlyList<string> AddHeadsFromFrozen(OnnxGraphBuilder graph, string frozen);

    /// <summary>The parameters training changes: the heads' and any trained trunk blocks'.</summary>
    IEnumerable<Parameter> TrainableParameters();

    /// <summary>
    /// The frozen part's parameters that fine-tuning the whole model may adapt, at a share of the learning rate
    /// (<c>face2data train --pretrained-lr-scale</c>); the others stay as published.
    /// </summary>
    IEnumerable<Parameter> FineTunableParameters();
}
