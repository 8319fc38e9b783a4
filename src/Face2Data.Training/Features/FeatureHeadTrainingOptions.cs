namespace Face2Data.Training.Features;

/// <summary>How the heads are trained on cached trunk features (<see cref="FeatureHeadTrainer"/>).</summary>
public sealed record FeatureHeadTrainingOptions
{
    /// <summary>Run folder: best.ckpt, history.csv/json.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Passes over every training sample in every view.</summary>
    public int Epochs { get; init; } = 30;

    public int BatchSize { get; init; } = 256;

    /// <summary>Adam's initial learning rate; a cosine schedule takes it to <see cref="MinLearningRate"/> by the last epoch.</summary>
    public double LearningRate { get; init; } = 1e-3;

    public double MinLearningRate { get; init; } = 1e-5;

    /// <summary>Adam's L2 weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-4;

    public double LabelSmoothing { get; init; } = 0.1;

    /// <summary>Seeds the heads' initial weights, the shuffles and dropout.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// First epoch whose trained weights go into a running average (stochastic weight averaging over the rest of the
    /// schedule); 0 averages nothing. The average is measured on validation after the last epoch and kept as the best
    /// checkpoint when its loss is lower than every epoch's.
    /// </summary>
    public int AverageFromEpoch { get; init; }

    /// <summary>
    /// Checkpoints of a teacher (one model, or several trainings averaged as a <see cref="Models.FrozenTrunkEnsemble"/>)
    /// reading the same frozen features; empty for none. Its predictions on every training view are computed once, and
    /// <see cref="DistillationWeight"/> of the loss is <see cref="Training.DistillationLoss"/> against them. The
    /// training loss in the history is that mix; the validation loss, which picks the best epoch, stays the labels'.
    /// </summary>
    public IReadOnlyList<string> Teacher { get; init; } = [];

    /// <summary>Share of the training loss taken by the teacher (0 to 1); the rest is the usual loss on the labels.</summary>
    public double DistillationWeight { get; init; } = 0.5;

    /// <summary>Torch intra-op threads; 0 keeps torch's default.</summary>
    public int Threads { get; init; }
}
