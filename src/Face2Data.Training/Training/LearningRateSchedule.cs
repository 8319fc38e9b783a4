namespace Face2Data.Training.Training;

/// <summary>How the learning rate moves over the steps of a run.</summary>
public enum LearningRateScheduleKind
{
    /// <summary>The base rate, with Keras time decay when <see cref="TrainingOptions.Decay"/> is set.</summary>
    Constant,

    /// <summary>Linear warm-up, then half a cosine from the base rate down to <see cref="TrainingOptions.MinLearningRate"/> at the last step.</summary>
    Cosine,
}

/// <summary>The learning rate of one optimizer step: a pure function of the options and the step.</summary>
public static class LearningRateSchedule
{
    /// <summary>
    /// Rate for <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>, given the current base rate
    /// (which ReduceLROnPlateau may have lowered).
    /// </summary>
    public static double At(TrainingOptions options, double baseRate, long step, long totalSteps)
    {
        if (options.Schedule == LearningRateScheduleKind.Constant)
        {
            return baseRate / (1 + (options.Decay * step));
        }

        var warmup = (long)Math.Round(options.WarmupEpochs * totalSteps / Math.Max(1, options.TotalEpochs));
        if (step < warmup)
        {
            return baseRate * (step + 1) / warmup;
        }

        var progress = Math.Clamp((double)(step - warmup) / Math.Max(1, totalSteps - warmup), 0, 1);
        var floor = Math.Min(options.MinLearningRate, baseRate);
        return floor + (0.5 * (baseRate - floor) * (1 + Math.Cos(Math.PI * progress)));
    }
}
