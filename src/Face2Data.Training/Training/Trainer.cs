using System.Diagnostics;
using Face2Data.Datasets;
using Face2Data.Imaging;
using Face2Data.Training.Features;
using Face2Data.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Training.Training;

/// <summary>
/// Trains a multi-head model: Adam with optional time decay, weighted head losses, per-head metrics on train and
/// validation each epoch, best checkpoint by validation loss, ReduceLROnPlateau, early stopping with best-weights
/// restore, progressive resizing stages, and resume from the last epoch's checkpoint.
/// </summary>
public sealed class Trainer
{
    /// <summary>File name of the best checkpoint in the run folder.</summary>
    public const string BestFileName = "best" + Checkpoint.Extension;

    /// <summary>File name of the last epoch's checkpoint (with optimizer and trainer state) in the run folder.</summary>
    public const string LastFileName = "last" + Checkpoint.Extension;

    private readonly TrainingOptions _options;
    private readonly ModelSpec _spec;

    public Trainer(ModelSpec spec, TrainingOptions options)
    {
        if (options.Stages.Count == 0 || options.BatchSize < 1)
        {
            throw new ArgumentException("Training needs at least one stage and a positive batch size.", nameof(options));
        }

        if (spec.Architecture is "seed" or "face-resnet" && options.Stages.Any(s => s.Size != spec.InputSize))
        {
            throw new ArgumentException($"The {spec.Architecture} model has a fixed input size ({spec.InputSize} px): progressive resizing needs f2d or densenet121.", nameof(options));
        }

        if (spec.Architecture == "face-resnet" && options.LoadPretrained is null)
        {
            throw new ArgumentException("face-resnet starts from face-api.js's pretrained weights: pass them (face2data train --backbone), or train its heads on cached features with face2data train-heads.", nameof(options));
        }

        if (options.PretrainedLearningRateScale is < 0 or > 1 || double.IsNaN(options.PretrainedLearningRateScale))
        {
            throw new ArgumentException($"The pretrained trunk's learning-rate share must be between 0 and 1, not {options.PretrainedLearningRateScale}.", nameof(options));
        }

        if (options.PretrainedLearningRateScale != 1 && spec.Architecture != "face-resnet")
        {
            throw new ArgumentException($"Only face-resnet has a pretrained trunk to train at its own learning rate; the model here is {spec.Architecture}.", nameof(options));
        }

        _spec = spec;
        _options = options;
    }

    public string BestPath => Path.Combine(_options.OutputDirectory, BestFileName);

    public string LastPath => Path.Combine(_options.OutputDirectory, LastFileName);

    /// <summary>Runs (or resumes) training. Cancellation stops between batches; the last finished epoch is kept.</summary>
    public TrainingResult Train(TrainingData data, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!data.Schema.SameHeadsAs(_spec.Schema))
        {
            throw new ArgumentException("The data's schema differs from the model's.", nameof(data));
        }

        Directory.CreateDirectory(_options.OutputDirectory);
        if (_options.Threads > 0)
        {
            torch.set_num_threads(_options.Threads);
        }

        torch.manual_seed(_options.Seed);
        using var model = _spec.Create();
        var groups = ParameterGroups(model, _options.PretrainedLearningRateScale);
        using var optimizer = new Adam(groups.Select(g => g.Parameters), _options.LearningRate, _options.WeightDecay);
        var scales = groups.Select(g => g.Scale).ToArray();
        var state = new TrainerState { LearningRate = _options.LearningRate };
        if (_options.Resume && File.Exists(LastPath))
        {
            var info = Checkpoint.LoadInto(LastPath, model, optimizer);
            state = info.State ?? throw new InvalidDataException($"'{LastPath}' has no trainer state to resume from.");
            progress?.Report(new TrainingProgress(state.NextEpoch, _options.TotalEpochs, 0, 0, 0, 0, Message: $"Resuming at epoch {state.NextEpoch} from {LastPath}"));
        }
        else
        {
            _options.LoadPretrained?.Invoke(model);
        }

        var loss = new MultiTaskLoss(data.Schema, _options.LabelSmoothing);
        var caches = new Dictionary<int, PreprocessedImageCache>();
        try
        {
            for (var epoch = state.NextEpoch; epoch <= _options.TotalEpochs && !state.Stopped; epoch++)
            {
                var stage = _options.StageOf(epoch);
                var preprocessing = Preprocessing(stage.Size);
                if (!caches.TryGetValue(stage.Size, out var images))
                {
                    images = data.Images(preprocessing, cancellationToken);
                    caches[stage.Size] = images;
                }

                var metrics = RunEpoch(epoch, model, optimizer, scales, loss, data, images, preprocessing, ref state, progress, cancellationToken);
                state = AfterEpoch(epoch, model, optimizer, metrics, state, data.Source, progress);
            }
        }
        finally
        {
            foreach (var cache in caches.Values)
            {
                cache.Dispose();
            }
        }

        return new TrainingResult(BestPath, state.BestEpoch, state.BestValidationLoss, state.History, state.Stopped);
    }

    private ImagePreprocessing Preprocessing(int size) => _spec.Preprocessing(size, _options.Resize);

    /// <summary>
    /// The optimizer's parameter groups and each one's share of the learning rate: for a model with a pretrained trunk,
    /// its trained part (heads and trained blocks) at 1 and the trunk's fine-tunable part at
    /// <paramref name="pretrainedScale"/>, every other parameter frozen (as is that part at 0); for other models, one
    /// group of everything.
    /// </summary>
    internal static IReadOnlyList<(IReadOnlyList<Parameter> Parameters, double Scale)> ParameterGroups(MultiHeadModel model, double pretrainedScale)
    {
        if (model is not IFrozenTrunkModel frozenTrunk)
        {
            return [(model.parameters().ToList(), 1)];
        }

        var trained = frozenTrunk.TrainableParameters().ToList();
        var fineTuned = pretrainedScale > 0 ? frozenTrunk.FineTunableParameters().ToList() : [];
        var learning = trained.Concat(fineTuned).Select(p => p.Handle).ToHashSet();
        foreach (var parameter in model.parameters().Where(p => !learning.Contains(p.Handle)))
        {
            parameter.requires_grad = false;
        }

        return fineTuned.Count > 0 ? [(trained, 1), (fineTuned, pretrainedScale)] : [(trained, 1)];
    }

    private EpochMetrics RunEpoch(
        int epoch, MultiHeadModel model, OptimizerHelper optimizer, double[] scales, MultiTaskLoss loss, TrainingData data,
        PreprocessedImageCache images, ImagePreprocessing preprocessing, ref TrainerState state,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        // Seeding per epoch makes a resumed run draw the same shuffles and augmentations as an uninterrupted one.
        torch.manual_seed(_options.Seed * 100_003L + epoch);
        var order = data.Train.ToArray();
        // Not HashCode.Combine: its seed changes with every process, so runs with the same seed would differ.
        new Random(unchecked((_options.Seed * 100_003) + epoch)).Shuffle(order);
        var heads = data.Schema.Heads.Count;
        var trainMetrics = data.Schema.Heads.Select(h => new MetricAccumulator(h)).ToArray();
        var steps = (order.Length + _options.BatchSize - 1) / _options.BatchSize;
        var pixels = new byte[_options.BatchSize * preprocessing.PixelLength];
        var labels = new float[_options.BatchSize * heads];
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        var seen = 0;
        var step = state.Step;
        model.train();
        for (var s = 0; s < steps; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = order.AsSpan(s * _options.BatchSize, Math.Min(_options.BatchSize, order.Length - (s * _options.BatchSize)));
            if (batch.Length < 2 && steps > 1)
            {
                continue; // BatchNorm cannot train on a single image.
            }

            Gather(batch, images, data.Labels, heads, pixels, labels);
            var learningRate = LearningRateSchedule.At(_options, state.LearningRate, step, (long)steps * _options.TotalEpochs);
            var g = 0;
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = learningRate * scales[g++];
            }

            using var scope = NewDisposeScope();
            Augmentation.ApplyToPixels(pixels, batch.Length, preprocessing.Size, _options.Augmentation);
            var x = Augmentation.Apply(ImageBatch.ToTensor(pixels, batch.Length, preprocessing), _options.Augmentation);
            var y = torch.tensor(labels, [_options.BatchSize, heads])[..batch.Length];
            var (raw, total, perHead) = Step(model, optimizer, loss, x, y);
            step++;
            var totalValue = total.item<float>();
            if (!float.IsFinite(totalValue))
            {
                throw new InvalidOperationException($"Training diverged at epoch {epoch}, step {s + 1} (loss {totalValue}). Lower the learning rate.");
            }

            lossSum += totalValue * batch.Length;
            seen += batch.Length;
            Accumulate(model, raw, perHead, y, trainMetrics);
            progress?.Report(new TrainingProgress(epoch, _options.TotalEpochs, s + 1, steps, lossSum / seen, seen / clock.Elapsed.TotalSeconds));
        }

        var trainSeconds = clock.Elapsed.TotalSeconds;
        state = state with { Step = step };
        var (validationLoss, validationMetrics) = Evaluate(model, loss, data, data.Validation, images, preprocessing, cancellationToken);
        return new EpochMetrics
        {
            Epoch = epoch,
            InputSize = preprocessing.Size,
            LearningRate = LearningRateSchedule.At(_options, state.LearningRate, Math.Max(0, step - 1), (long)steps * _options.TotalEpochs),
            TrainLoss = seen == 0 ? double.NaN : lossSum / seen,
            ValidationLoss = validationLoss,
            Train = trainMetrics.Select(m => m.Result()).ToList(),
            Validation = validationMetrics,
            Seconds = clock.Elapsed.TotalSeconds,
            ImagesPerSecond = seen / trainSeconds,
        };
    }

    /// <summary>
    /// One optimisation step on a batch: zero the gradients, forward, weighted loss, backward, update. Call inside a
    /// dispose scope, which then owns every tensor it makes.
    /// </summary>
    /// <returns>The raw outputs, the total loss and each head's loss.</returns>
    public static (Tensor[] Raw, Tensor Total, Tensor[] PerHead) Step(MultiHeadModel model, OptimizerHelper optimizer, MultiTaskLoss loss, Tensor images, Tensor labels)
    {
        optimizer.zero_grad();
        var raw = model.forward(images);
        var (total, perHead) = loss.Compute(raw, labels);
        total.backward();
        optimizer.step();
        return (raw, total, perHead);
    }

    /// <summary>Mean weighted loss and per-head metrics of a model over some samples, in eval mode.</summary>
    public static (double Loss, IReadOnlyList<HeadMetrics> Metrics) Evaluate(
        MultiHeadModel model, MultiTaskLoss loss, TrainingData data, IReadOnlyList<int> indices,
        PreprocessedImageCache images, ImagePreprocessing preprocessing, CancellationToken cancellationToken = default)
    {
        const int batchSize = 128;
        var heads = data.Schema.Heads.Count;
        var metrics = data.Schema.Heads.Select(h => new MetricAccumulator(h)).ToArray();
        var pixels = new byte[batchSize * preprocessing.PixelLength];
        var labels = new float[batchSize * heads];
        double lossSum = 0;
        var order = indices.ToArray();
        model.eval();
        using (torch.no_grad())
        {
            for (var start = 0; start < order.Length; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = order.AsSpan(start, Math.Min(batchSize, order.Length - start));
                Gather(batch, images, data.Labels, heads, pixels, labels);
                using var scope = NewDisposeScope();
                var x = ImageBatch.ToTensor(pixels, batch.Length, preprocessing);
                var y = torch.tensor(labels, [batchSize, heads])[..batch.Length];
                var raw = model.forward(x);
                var (total, perHead) = loss.Compute(raw, y);
                lossSum += total.item<float>() * batch.Length;
                Accumulate(model, raw, perHead, y, metrics);
            }
        }

        model.train();
        return (order.Length == 0 ? double.NaN : lossSum / order.Length, metrics.Select(m => m.Result()).ToList());
    }

    private TrainerState AfterEpoch(
        int epoch, MultiHeadModel model, OptimizerHelper optimizer, EpochMetrics metrics, TrainerState state,
        string source, IProgress<TrainingProgress>? progress)
    {
        var history = state.History.Append(metrics).ToList();
        var improved = metrics.ValidationLoss < state.BestValidationLoss;
        var info = new CheckpointInfo { Model = _spec, Preprocessing = Preprocessing(metrics.InputSize), Epoch = epoch, Metrics = metrics, TrainingData = source, FineTuning = _options.FineTuning };
        string? message = null;
        if (improved)
        {
            Checkpoint.Save(BestPath, model, info);
            state = state with { BestValidationLoss = metrics.ValidationLoss, BestEpoch = epoch, PlateauWait = 0, EarlyStopWait = 0 };
        }
        else
        {
            state = state with { PlateauWait = state.PlateauWait + 1, EarlyStopWait = state.EarlyStopWait + 1 };
            if (_options.PlateauPatience > 0 && state.PlateauWait >= _options.PlateauPatience && state.LearningRate > _options.MinLearningRate)
            {
                var lowered = Math.Max(_options.MinLearningRate, state.LearningRate * _options.PlateauFactor);
                message = $"Validation loss has not improved for {state.PlateauWait} epochs: learning rate {state.LearningRate:G3} → {lowered:G3}";
                state = state with { LearningRate = lowered, PlateauWait = 0 };
            }

            if (_options.EarlyStoppingPatience > 0 && state.EarlyStopWait >= _options.EarlyStoppingPatience)
            {
                message = $"Early stop: no improvement for {state.EarlyStopWait} epochs; restoring the weights of epoch {state.BestEpoch}";
                state = state with { Stopped = true };
            }
        }

        var spent = TimeSpan.FromSeconds(history.Sum(e => e.Seconds));
        if (!state.Stopped && epoch < _options.TotalEpochs && _options.TimeLimit is { } limit && spent + TimeSpan.FromSeconds(metrics.Seconds) > limit)
        {
            message = $"Time limit: {spent.TotalMinutes:F1} of {limit.TotalMinutes:F0} minutes spent, another epoch would overrun; restoring the weights of epoch {state.BestEpoch}";
            state = state with { Stopped = true };
        }

        var last = epoch == _options.TotalEpochs || state.Stopped;
        if (last && !improved && File.Exists(BestPath))
        {
            Checkpoint.LoadInto(BestPath, model); // best-weights restore
        }

        state = state with { NextEpoch = epoch + 1, History = history };
        Checkpoint.Save(LastPath, model, info with { State = state }, optimizer);
        TrainingHistory.Write(_options.OutputDirectory, history);
        progress?.Report(new TrainingProgress(epoch, _options.TotalEpochs, 0, 0, metrics.TrainLoss, metrics.ImagesPerSecond, metrics, message));
        return state;
    }

    private static void Gather(ReadOnlySpan<int> batch, PreprocessedImageCache images, float[] allLabels, int heads, byte[] pixels, float[] labels)
    {
        images.CopyImages(batch, pixels.AsSpan(0, batch.Length * images.PixelLength));
        for (var i = 0; i < batch.Length; i++)
        {
            allLabels.AsSpan(batch[i] * heads, heads).CopyTo(labels.AsSpan(i * heads, heads));
        }
    }

    /// <summary>Adds a batch's predictions and per-head losses to the heads' metrics.</summary>
    internal static void Accumulate(MultiHeadModel model, Tensor[] raw, Tensor[] perHead, Tensor labels, MetricAccumulator[] metrics)
    {
        using var scope = NewDisposeScope();
        var predictions = model.Predict(raw.Select(r => r.detach()).ToArray());
        var targets = labels.contiguous().data<float>().ToArray();
        var heads = metrics.Length;
        var count = (int)labels.shape[0];
        var column = new float[count];
        for (var h = 0; h < heads; h++)
        {
            for (var i = 0; i < count; i++)
            {
                column[i] = targets[(i * heads) + h];
            }

            metrics[h].Add(perHead[h].item<float>(), predictions[h].contiguous().data<float>().ToArray(), column);
        }
    }
}
