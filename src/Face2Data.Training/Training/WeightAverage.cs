using Face2Data.Training.Models;
using Face2Data.Training.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Training.Training;

/// <summary>
/// The running mean of a model's trained weights over several epochs (stochastic weight averaging), kept beside the
/// model and copied into it at the end. Models with BatchNorm are refused: their running statistics belong to the last
/// epoch's weights, not to the average, and would be silently wrong.
/// </summary>
public sealed class WeightAverage : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _sums;

    /// <summary>Averages <paramref name="parameters"/>, which belong to <paramref name="model"/>.</summary>
    public WeightAverage(MultiHeadModel model, IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(parameters);
        if (model.modules().Any(m => m is BatchNorm))
        {
            throw new ArgumentException("Weight averaging needs a model without BatchNorm (its running statistics would not match the averaged weights); turn the heads' BatchNorm off.", nameof(model));
        }

        _parameters = parameters.ToArray();
        using (torch.no_grad())
        {
            _sums = _parameters.Select(p => torch.zeros_like(p, dtype: ScalarType.Float64)).ToArray();
        }
    }

    /// <summary>How many snapshots have been added.</summary>
    public int Count { get; private set; }

    /// <summary>Adds the model's current weights to the average.</summary>
    public void Add()
    {
        using (torch.no_grad())
        {
            for (var i = 0; i < _parameters.Length; i++)
            {
                using var weights = _parameters[i].detach().to_type(ScalarType.Float64);
                _sums[i].add_(weights, Scalars.One);
            }
        }

        Count++;
    }

    /// <summary>Replaces the model's weights by the average of the snapshots added.</summary>
    public void CopyToModel()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("No weights were added to the average.");
        }

        using (torch.no_grad())
        {
            for (var i = 0; i < _parameters.Length; i++)
            {
                using var mean = _sums[i].DividedBy(Count);
                using var cast = mean.to_type(_parameters[i].dtype);
                _parameters[i].copy_(cast);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var sum in _sums)
        {
            sum.Dispose();
        }
    }
}
