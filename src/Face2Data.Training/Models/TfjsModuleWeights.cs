using Face2Data.Onnx.Converters;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Models;

/// <summary>Copies published TensorFlow.js weights (<see cref="TfjsWeights.Read"/>) into TorchSharp modules, checking each shape.</summary>
internal static class TfjsModuleWeights
{
    /// <summary>
    /// A TensorFlow filter <c>{name}/{filters}</c> ([kh, kw, in, out], or [kh, kw, channels, 1] for a depthwise one)
    /// into <paramref name="conv"/>'s weight, and <c>{name}/{bias}</c> (when given) into its bias. Call under no_grad.
    /// </summary>
    /// <exception cref="InvalidDataException">A weight is missing or has another shape.</exception>
    public static void Conv(Conv2d conv, IReadOnlyDictionary<string, TfWeight> weights, string model, string name, string filters = "filters", string? bias = "bias")
    {
        var filter = TfjsWeights.Need(weights, model, $"{name}/{filters}", 4);
        var expected = conv.weight!.shape;
        // Conv2d's weight is [out, in/groups, kh, kw].
        var (inputs, outputs) = conv.groups > 1 ? (expected[0], 1L) : (expected[1], expected[0]);
        if (filter.Shape[0] != expected[2] || filter.Shape[1] != expected[3] || filter.Shape[2] != inputs || filter.Shape[3] != outputs)
        {
            throw new InvalidDataException($"'{name}/{filters}' has shape [{string.Join(", ", filter.Shape)}]; expected [{expected[2]}, {expected[3]}, {inputs}, {outputs}].");
        }

        using var kernel = torch.tensor(TfjsWeights.ToOnnxConvWeight(filter), expected);
        conv.weight!.copy_(kernel);
        if (bias is not null)
        {
            Vector(conv.bias!, weights, model, $"{name}/{bias}");
        }
    }

    /// <summary>A one-dimensional weight into <paramref name="target"/> of the same length. Call under no_grad.</summary>
    /// <exception cref="InvalidDataException">The weight is missing or has another length.</exception>
    public static void Vector(Tensor target, IReadOnlyDictionary<string, TfWeight> weights, string model, string name)
    {
        var weight = TfjsWeights.Need(weights, model, name, 1);
        if (weight.Shape[0] != target.shape[0])
        {
            throw new InvalidDataException($"'{name}' has {weight.Shape[0]} values; expected {target.shape[0]}.");
        }

        using var values = torch.tensor(weight.Values);
        target.copy_(values);
    }
}
