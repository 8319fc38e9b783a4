using Face2Data.Imaging;
using Face2Data.Training.Models;

namespace Face2Data.Training.Training;

/// <summary>What a checkpoint says about its weights: how to rebuild the model and feed it, and how far training got.</summary>
public sealed record CheckpointInfo
{
    public required ModelSpec Model { get; init; }

    public required ImagePreprocessing Preprocessing { get; init; }

    /// <summary>The epoch whose end these weights are from.</summary>
    public int Epoch { get; init; }

    /// <summary>Validation metrics of those weights, when known.</summary>
    public EpochMetrics? Metrics { get; init; }

    /// <summary>Trainer bookkeeping; present in the last-epoch checkpoint that <c>--resume</c> reads.</summary>
    public TrainerState? State { get; init; }

    /// <summary>How the BatchNorm statistics were re-estimated after training (<c>face2data calibrate</c>); empty if not.</summary>
    public string Calibration { get; init; } = "";

    /// <summary>Which epochs' weights were averaged into these (<see cref="Features.FeatureHeadTrainingOptions.AverageFromEpoch"/>); empty if none.</summary>
    public string Averaging { get; init; } = "";

    /// <summary>How a head's logits were shifted for other class priors (<see cref="ClassPriorCorrection"/>); empty if not.</summary>
    public string PriorCorrection { get; init; } = "";

    /// <summary>Which teacher the weights were distilled from, and its share of the loss (<see cref="Features.FeatureHeadTrainingOptions.Teacher"/>); empty if none.</summary>
    public string Teacher { get; init; } = "";

    /// <summary>Which checkpoint these weights were fine-tuned from, and how (<see cref="TrainingOptions.FineTuning"/>); empty if trained from the start.</summary>
    public string FineTuning { get; init; } = "";

    /// <summary>Path of the dataset the model was trained on, for reports.</summary>
    public string TrainingData { get; init; } = "";
}
