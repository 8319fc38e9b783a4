using System.Diagnostics;
using Face2Data.Imaging;
using Face2Data.Schema;
using Face2Data.Training.Runtime;
using Face2Data.Training.Models;
using Face2Data.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Features;

/// <summary>
/// Trains a model's heads (and any trained trunk blocks) on cached output of its frozen pretrained trunk
/// (<see cref="FeatureCache"/>, <see cref="IFrozenTrunkModel"/>), which takes seconds an epoch where running the trunk
/// would take minutes. Every training sample is seen once per view
/// and epoch; validation reads the plain view. The checkpoint with the lowest validation loss is kept as
/// <c>best.ckpt</c>, holding trunk and heads, so <c>face2data export</c>, <c>evaluate</c> and <c>card</c> treat it like
/// any other run; <c>history.csv</c> records every epoch.
/// </summary>
public sealed class FeatureHeadTrainer
{
    private readonly FeatureHeadTrainingOptions _options;

    public FeatureHeadTrainer(FeatureHeadTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Epochs < 1 || options.BatchSize < 2)
        {
            throw new ArgumentException("Head training needs at least one epoch and a batch of at least 2.", nameof(options));
        }

        if (options.DistillationWeight is < 0 or > 1 || double.IsNaN(options.DistillationWeight))
        {
            throw new ArgumentException($"The teacher's share of the loss must be from 0 to 1, not {options.DistillationWeight}.", nameof(options));
        }

        if (options.AverageFromEpoch < 0 || options.AverageFromEpoch > options.Epochs)
        {
            throw new ArgumentException($"Weight averaging must start at an epoch from 1 to {options.Epochs} (or 0 for none), not {options.AverageFromEpoch}.", nameof(options));
        }

        _options = options;
    }

    /// <summary>Path of the best checkpoint.</summary>
    public string BestPath => Path.Combine(_options.OutputDirectory, Trainer.BestFileName);

    /// <summary>Path of the averaged weights' checkpoint, written when <see cref="FeatureHeadTrainingOptions.AverageFromEpoch"/> is set.</summary>
    public string AveragedPath => Path.Combine(_options.OutputDirectory, "averaged.ckpt");

    /// <summary>Trains the heads and writes the best checkpoint.</summary>
    /// <param name="spec">The model (trunk and heads) to build.</param>
    /// <param name="loadPretrained">Puts the pretrained weights into the trunk of the model just built.</param>
    /// <param name="data">Labels and the train and validation samples.</param>
    /// <param name="preprocessing">How the features' images were prepared; it travels with the checkpoint.</param>
    /// <param name="views">The features of every sample, one array per view (view 0 plain), [samples × width] each.</param>
    /// <param name="progress">A report at the end of every epoch.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public TrainingResult Train(
        ModelSpec spec, Action<MultiHeadModel> loadPretrained, TrainingData data, ImagePreprocessing preprocessing,
        IReadOnlyList<float[]> views, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(loadPretrained);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(views);
        if (!data.Schema.SameHeadsAs(spec.Schema))
        {
            throw new ArgumentException("The data's schema differs from the model's.", nameof(data));
        }

        var heads = data.Schema.Heads.Count;
        var samples = data.Labels.Length / heads;
        if (views.Count == 0 || views.Any(v => v.Length == 0 || v.Length % samples != 0 || v.Length != views[0].Length))
        {
            throw new ArgumentException($"Every view must hold the same number of features for each of the {samples} samples.", nameof(views));
        }

        var width = views[0].Length / samples;
        Directory.CreateDirectory(_options.OutputDirectory);
        if (_options.Threads > 0)
        {
            torch.set_num_threads(_options.Threads);
        }

        torch.manual_seed(_options.Seed);
        using var model = spec.Create();
        var trainable = model as IFrozenTrunkModel ?? throw new ArgumentException($"{spec.Architecture} has no frozen pretrained trunk to train from.", nameof(spec));
        if (trainable.FrozenWidth != width)
        {
            throw new ArgumentException($"The cached features have {width} values per sample; this model's frozen part gives {trainable.FrozenWidth}.", nameof(views));
        }

        loadPretrained(model);
        var teacher = _options.Teacher.Count > 0 ? TeacherTargets(model, data, views, width, cancellationToken) : null;
        var distillation = new DistillationLoss(data.Schema);
        var alpha = teacher is null ? 0 : _options.DistillationWeight;
        var teacherNote = teacher is null ? "" : TeacherNote(_options.Teacher, alpha);
        using var average = _options.AverageFromEpoch > 0 ? new WeightAverage(model, trainable.TrainableParameters()) : null;
        using var optimizer = new Adam(trainable.TrainableParameters(), _options.LearningRate, _options.WeightDecay);
        var loss = new MultiTaskLoss(data.Schema, _options.LabelSmoothing);
        var rows = Enumerable.Range(0, views.Count).SelectMany(v => data.Train.Select(s => (View: v, Sample: s))).ToArray();
        var history = new List<EpochMetrics>();
        var best = (Epoch: 0, Loss: double.PositiveInfinity);
        for (var epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var learningRate = _options.MinLearningRate + (0.5 * (_options.LearningRate - _options.MinLearningRate) * (1 + Math.Cos(Math.PI * (epoch - 1) / _options.Epochs)));
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = learningRate;
            }

            torch.manual_seed((_options.Seed * 100_003L) + epoch);
            new Random(unchecked((_options.Seed * 100_003) + epoch)).Shuffle(rows);
            var train = data.Schema.Heads.Select(h => new MetricAccumulator(h)).ToArray();
            double lossSum = 0;
            model.train();
            for (var start = 0; start < rows.Length; start += _options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = rows.AsSpan(start, Math.Min(_options.BatchSize, rows.Length - start));
                if (batch.Length < 2)
                {
                    continue;
                }

                using var scope = NewDisposeScope();
                var (x, y) = Batch(batch, views, data.Labels, width, heads);
                optimizer.zero_grad();
                var raw = trainable.ForwardFromFrozen(x);
                var (total, perHead) = loss.Compute(raw, y);
                if (teacher is not null)
                {
                    total = total.Times(1 - alpha).Plus(distillation.Compute(raw, TargetBatch(batch, teacher, data.Schema, samples)).Times(alpha));
                }

                total.backward();
                optimizer.step();
                var value = total.item<float>();
                if (!float.IsFinite(value))
                {
                    throw new InvalidOperationException($"Head training diverged at epoch {epoch} (loss {value}). Lower the learning rate.");
                }

                lossSum += value * batch.Length;
                Trainer.Accumulate(model, raw, perHead, y, train);
            }

            var (validationLoss, validation) = Evaluate(model, trainable, loss, data, views[0], width, cancellationToken);
            var metrics = new EpochMetrics
            {
                Epoch = epoch,
                InputSize = preprocessing.Size,
                LearningRate = learningRate,
                TrainLoss = lossSum / rows.Length,
                ValidationLoss = validationLoss,
                Train = train.Select(m => m.Result()).ToList(),
                Validation = validation,
                Seconds = clock.Elapsed.TotalSeconds,
                ImagesPerSecond = rows.Length / clock.Elapsed.TotalSeconds,
            };
            history.Add(metrics);
            if (validationLoss < best.Loss)
            {
                best = (epoch, validationLoss);
                var info = new CheckpointInfo { Model = spec, Preprocessing = preprocessing, Epoch = epoch, Metrics = metrics, TrainingData = data.Source, Teacher = teacherNote };
                Checkpoint.Save(BestPath, model, info);
            }

            TrainingHistory.Write(_options.OutputDirectory, history);
            progress?.Report(new TrainingProgress(epoch, _options.Epochs, 0, 0, metrics.TrainLoss, metrics.ImagesPerSecond, metrics));
            if (average is not null && epoch >= _options.AverageFromEpoch)
            {
                average.Add();
            }
        }

        if (average is null)
        {
            return new TrainingResult(BestPath, best.Epoch, best.Loss, history, StoppedEarly: false);
        }

        // The average replaces the last epoch's weights in the model, is saved, and competes with the best epoch.
        average.CopyToModel();
        var (averagedLoss, averagedMetrics) = Evaluate(model, trainable, loss, data, views[0], width, cancellationToken);
        var last = history[^1];
        var averaged = new CheckpointInfo
        {
            Model = spec, Preprocessing = preprocessing, Epoch = last.Epoch, TrainingData = data.Source,
            Metrics = last with { ValidationLoss = averagedLoss, Validation = averagedMetrics },
            Averaging = $"trained weights averaged over epochs {_options.AverageFromEpoch}-{last.Epoch}; metrics are the average's",
            Teacher = teacherNote,
        };
        Checkpoint.Save(AveragedPath, model, averaged);
        if (averagedLoss < best.Loss)
        {
            Checkpoint.Save(BestPath, model, averaged);
            best = (last.Epoch, averagedLoss);
        }

        return new TrainingResult(BestPath, best.Epoch, best.Loss, history, StoppedEarly: false, averagedLoss);
    }

    // How the checkpoint and the exported file name the teacher: its run folders and its share of the loss.
    private static string TeacherNote(IReadOnlyList<string> teacher, double alpha)
    {
        var runs = teacher.Select(p => Checkpoint.RunName(Checkpoint.ResolvePath(p)));
        var what = teacher.Count == 1 ? $"{runs.Single()}'s predictions" : $"the averaged predictions of {teacher.Count} trainings ({string.Join(", ", runs)})";
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{alpha:0.##} of the training loss against {what}");
    }

    // The teacher's targets (DistillationLoss.Target) for every training sample in every view, per head
    // [views × samples × raw width]; rows of other samples stay zero. The teacher must read the student's features.
    private float[][] TeacherTargets(MultiHeadModel student, TrainingData data, IReadOnlyList<float[]> views, int width, CancellationToken cancellationToken)
    {
        const int BatchSize = 1024;
        var heads = data.Schema.Heads;
        var samples = data.Labels.Length / heads.Count;
        var members = new List<MultiHeadModel>();
        try
        {
            foreach (var path in _options.Teacher)
            {
                var (model, _) = Checkpoint.Load(Checkpoint.ResolvePath(path));
                members.Add(model);
                if (!model.Schema.SameHeadsAs(data.Schema))
                {
                    throw new ArgumentException($"The teacher {path} predicts other heads (or with other loss settings) than the student.", nameof(data));
                }

                FrozenTrunkEnsemble.RequireSameFrozenWeights(student, "the student", model, $"The teacher {path}", "A teacher must read the features the student is trained on.");
            }

            using var ensemble = members.Count > 1 ? new FrozenTrunkEnsemble(members) : null;
            Func<Tensor, Tensor[]> teach = ensemble is not null ? ensemble.ForwardFromFrozen : ((IFrozenTrunkModel)members[0]).ForwardFromFrozen;
            ((nn.Module?)ensemble ?? members[0]).eval();
            if (ensemble is not null)
            {
                members.Clear(); // the ensemble owns and disposes them now
            }

            var targets = heads.Select(h => new float[views.Count * samples * AttributeHeadLayer.RawOutputSize(h)]).ToArray();
            using var noGrad = torch.no_grad();
            for (var view = 0; view < views.Count; view++)
            {
                for (var start = 0; start < data.Train.Count; start += BatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var rows = data.Train.Skip(start).Take(BatchSize).Select(s => (View: view, Sample: s)).ToArray();
                    var (x, _) = Batch(rows, views, data.Labels, width, heads.Count);
                    var raw = teach(x);
                    for (var h = 0; h < heads.Count; h++)
                    {
                        var values = DistillationLoss.Target(heads[h], raw[h]).data<float>().ToArray();
                        var outputs = AttributeHeadLayer.RawOutputSize(heads[h]);
                        for (var r = 0; r < rows.Length; r++)
                        {
                            values.AsSpan(r * outputs, outputs).CopyTo(targets[h].AsSpan(((view * samples) + rows[r].Sample) * outputs));
                        }
                    }
                }
            }

            return targets;
        }
        finally
        {
            foreach (var member in members)
            {
                member.Dispose();
            }
        }
    }

    // The teacher's targets of a batch's rows, one tensor per head [rows, raw width].
    private static Tensor[] TargetBatch(ReadOnlySpan<(int View, int Sample)> batch, float[][] targets, AttributeSchema schema, int samples)
    {
        var result = new Tensor[schema.Heads.Count];
        for (var h = 0; h < result.Length; h++)
        {
            var outputs = AttributeHeadLayer.RawOutputSize(schema.Heads[h]);
            var values = new float[batch.Length * outputs];
            for (var i = 0; i < batch.Length; i++)
            {
                targets[h].AsSpan(((batch[i].View * samples) + batch[i].Sample) * outputs, outputs).CopyTo(values.AsSpan(i * outputs));
            }

            result[h] = torch.tensor(values, [batch.Length, outputs]);
        }

        return result;
    }

    // Mean loss and metrics of the heads on the validation samples' plain features, in eval mode.
    private static (double Loss, IReadOnlyList<HeadMetrics> Metrics) Evaluate(
        MultiHeadModel model, IFrozenTrunkModel trainable, MultiTaskLoss loss, TrainingData data, float[] features, int width, CancellationToken cancellationToken)
    {
        const int BatchSize = 1024;
        var heads = data.Schema.Heads.Count;
        var metrics = data.Schema.Heads.Select(h => new MetricAccumulator(h)).ToArray();
        var rows = data.Validation.Select(s => (View: 0, Sample: s)).ToArray();
        double lossSum = 0;
        model.eval();
        using (torch.no_grad())
        {
            for (var start = 0; start < rows.Length; start += BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var batch = rows.AsSpan(start, Math.Min(BatchSize, rows.Length - start));
                var (x, y) = Batch(batch, [features], data.Labels, width, heads);
                var raw = trainable.ForwardFromFrozen(x);
                var (total, perHead) = loss.Compute(raw, y);
                lossSum += total.item<float>() * batch.Length;
                Trainer.Accumulate(model, raw, perHead, y, metrics);
            }
        }

        return (rows.Length == 0 ? double.NaN : lossSum / rows.Length, metrics.Select(m => m.Result()).ToList());
    }

    private static (Tensor Features, Tensor Labels) Batch(ReadOnlySpan<(int View, int Sample)> batch, IReadOnlyList<float[]> views, float[] labels, int width, int heads)
    {
        var x = new float[batch.Length * width];
        var y = new float[batch.Length * heads];
        for (var i = 0; i < batch.Length; i++)
        {
            var (view, sample) = batch[i];
            views[view].AsSpan(sample * width, width).CopyTo(x.AsSpan(i * width));
            labels.AsSpan(sample * heads, heads).CopyTo(y.AsSpan(i * heads));
        }

        return (torch.tensor(x, [batch.Length, width]), torch.tensor(y, [batch.Length, heads]));
    }
}
