using Face2Data.Imaging;
using Face2Data.Training.Models;

namespace Face2Data.Training.Training;

/// <summary>Everything that decides how a model is trained.</summary>
public sealed record TrainingOptions
{
    /// <summary>Run folder: checkpoints, history and the split are written here.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Input size and epochs per stage (progressive resizing when more than one).</summary>
    public IReadOnlyList<TrainingStage> Stages { get; init; } = [new(96, 10)];

    public int BatchSize { get; init; } = 64;

    /// <summary>Adam's initial learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Keras-style time decay per step: lr = lr0 / (1 + decay · step). 0 turns it off.</summary>
    public double Decay { get; init; }

    /// <summary>Learning-rate schedule over the whole run.</summary>
    public LearningRateScheduleKind Schedule { get; init; } = LearningRateScheduleKind.Constant;

    /// <summary>Epochs of linear warm-up before the cosine schedule starts (fractions allowed).</summary>
    public double WarmupEpochs { get; init; }

    /// <summary>Adam's L2 weight decay.</summary>
    public double WeightDecay { get; init; }

    public double LabelSmoothing { get; init; }

    public AugmentationOptions Augmentation { get; init; } = new();

    /// <summary>Epochs without validation-loss improvement before the learning rate is multiplied by <see cref="PlateauFactor"/>; 0 turns it off.</summary>
    public int PlateauPatience { get; init; } = 3;

    public double PlateauFactor { get; init; } = 0.5;

    public double MinLearningRate { get; init; } = 1e-6;

    /// <summary>Epochs without validation-loss improvement before training stops (best weights restored); 0 turns it off.</summary>
    public int EarlyStoppingPatience { get; init; } = 8;

    public int Seed { get; init; } = 42;

    /// <summary>
    /// Wall-clock budget for the epochs (resumed runs count earlier epochs): training stops, best weights restored,
    /// when another epoch as long as the last would overrun it. Null means no limit.
    /// </summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Torch intra-op threads; 0 keeps torch's default (all cores).</summary>
    public int Threads { get; init; }

    /// <summary>How images are resized; travels with the model.</summary>
    public ResizeMethod Resize { get; init; } = ResizeMethod.Area;

    /// <summary>
    /// Puts pretrained weights into the freshly built model before the first epoch (not when resuming, whose
    /// checkpoint has them); required for <c>face-resnet</c>, whose trunk starts from face-api.js's weights.
    /// </summary>
    public Action<MultiHeadModel>? LoadPretrained { get; init; }

    /// <summary>
    /// For models with a pretrained trunk (<c>face-resnet</c>): the learning rate of the trunk's pretrained part (all
    /// but the heads and the trained blocks) as a share of the schedule's. 1 trains everything alike; a small share
    /// fine-tunes the trunk gently, so that the first steps do not wreck what it learned; 0 freezes it.
    /// </summary>
    public double PretrainedLearningRateScale { get; init; } = 1;

    /// <summary>
    /// When <see cref="LoadPretrained"/> starts from another run's checkpoint: which, and how it is fine-tuned, as the
    /// checkpoints (and an exported file's after-training steps) record it; empty otherwise.
    /// </summary>
    public string FineTuning { get; init; } = "";

    /// <summary>Continue from the run folder's last checkpoint.</summary>
    public bool Resume { get; init; }

    /// <summary>Total epochs over all stages.</summary>
    public int TotalEpochs => Stages.Sum(s => s.Epochs);

    /// <summary>The stage an epoch (1-based) belongs to.</summary>
    public TrainingStage StageOf(int epoch)
    {
        var end = 0;
        foreach (var stage in Stages)
        {
            end += stage.Epochs;
            if (epoch <= end)
            {
                return stage;
            }
        }

        return Stages[^1];
    }
}
