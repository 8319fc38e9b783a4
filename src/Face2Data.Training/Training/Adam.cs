using Face2Data.Training.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Training.Training;

/// <summary>
/// TorchSharp's Adam (same options, state and saved state, so checkpoints load either way: TorchSharp writes and
/// checks the optimizer type's <see cref="System.Reflection.MemberInfo.Name"/>, hence the same name) whose step computes with
/// Scalars that outlive each native call (<see cref="Scalars"/>). TorchSharp's own step creates six temporary Scalars per parameter per
/// step and leaves them to the finalizer, which can free one while libtorch reads it.
/// </summary>
public sealed class Adam : TorchSharp.Modules.Adam
{
    /// <summary>Adam over <paramref name="parameters"/>, with TorchSharp's defaults for β₁, β₂ and ε.</summary>
    public Adam(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0, bool amsgrad = false)
        : base(parameters, learningRate, weight_decay: weightDecay, amsgrad: amsgrad)
    {
    }

    /// <summary>Adam over several groups of parameters, each with its own learning rate (set per group afterwards, through the optimizer's ParamGroups).</summary>
    public Adam(IEnumerable<IEnumerable<Parameter>> groups, double learningRate, double weightDecay = 0)
        : base(groups.Select(g => new ParamGroup { Parameters = g }), learningRate, weight_decay: weightDecay)
    {
    }

    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null) => _step<TorchSharp.Modules.Adam.ParamGroup>(group =>
    {
        var options = group.Options;
        var (beta1, beta2) = (options.beta1!.Value, options.beta2!.Value);
        var weightDecay = options.weight_decay!.Value;
        var learningRate = options.LearningRate!.Value;
        foreach (var parameter in group.Parameters)
        {
            var gradient = parameter.grad;
            if (gradient is null)
            {
                continue;
            }

            var state = (TorchSharp.Modules.Adam.State)_state[parameter.Handle];
            if (options.maximize!.Value)
            {
                gradient = -gradient;
            }

            state.step++;
            var firstCorrection = 1 - Math.Pow(beta1, state.step);
            var secondCorrection = 1 - Math.Pow(beta2, state.step);
            if (weightDecay != 0)
            {
                gradient = Scalars.Use(weightDecay, decay => gradient.add(parameter, decay));
            }

            Scalars.Use(beta1, b => state.exp_avg.mul_(b));
            Scalars.Use(1 - beta1, b => state.exp_avg.add_(gradient, b));
            Scalars.Use(beta2, b => state.exp_avg_sq.mul_(b));
            Scalars.Use(1 - beta2, b => state.exp_avg_sq.addcmul_(gradient, gradient.conj(), b));
            var second = state.exp_avg_sq;
            if (options.amsgrad!.Value)
            {
                var previous = state.max_exp_avg_sq;
                state.max_exp_avg_sq = maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                previous.Dispose();
                second = state.max_exp_avg_sq;
            }

            var denominator = second.sqrt().DividedBy(Math.Sqrt(secondCorrection));
            Scalars.Use(options.eps!.Value, eps => denominator.add_(eps, Scalars.One));
            Scalars.Use(-learningRate / firstCorrection, size => parameter.addcdiv_(state.exp_avg, denominator, size));
        }
    }, closure);
}
