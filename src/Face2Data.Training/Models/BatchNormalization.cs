using Face2Data.Training.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Training.Models;

/// <summary>
/// Batch normalization over the channels of a 2-d ([N, C]) or 4-d ([N, C, H, W]) input: TorchSharp's BatchNorm1d /
/// BatchNorm2d, same parameters, buffers and state-dict names, with one difference: counting
/// <c>num_batches_tracked</c> in training uses an owned Scalar, where TorchSharp's forward leaves two temporaries to
/// the finalizer on every call (<see cref="Scalars"/>).
/// </summary>
public sealed class BatchNormalization : BatchNorm
{
    private readonly int _dimensions;

    private BatchNormalization(long features, int dimensions, string name)
        : base(features, eps: 1e-5, momentum: 0.1, affine: true, track_running_stats: true, device: null, dtype: null, name)
    {
        _dimensions = dimensions;
    }

    /// <summary>For the output of a convolution ([N, C, H, W]), as <c>nn.BatchNorm2d(features)</c>.</summary>
    public static BatchNormalization Of2d(long features) => new(features, 4, "BatchNorm2d");

    /// <summary>For features ([N, C]), as <c>nn.BatchNorm1d(features)</c>.</summary>
    public static BatchNormalization Of1d(long features) => new(features, 2, "BatchNorm1d");

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        if (training && track_running_stats && num_batches_tracked is { } count)
        {
            count.add_(Scalars.One, Scalars.One);
        }

        // As TorchSharp's BatchNorm: batch statistics in training (or without running ones), running ones otherwise.
        var useBatchStatistics = training || (running_mean is null && running_var is null);
        var passRunning = !training || track_running_stats;
        return nn.functional.batch_norm(
            input, passRunning ? running_mean : null, passRunning ? running_var : null, weight, bias, useBatchStatistics, momentum ?? 0.1, eps);
    }

    /// <inheritdoc />
    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.ndim != _dimensions)
        {
            throw new ArgumentException($"expected {_dimensions}D input, but got {input.ndim}D input.");
        }
    }
}
