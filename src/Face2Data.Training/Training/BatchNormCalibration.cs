using Face2Data.Datasets;
using Face2Data.Imaging;
using Face2Data.Training.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Face2Data.Training.Training;

/// <summary>
/// Re-estimates every BatchNorm layer's running mean and variance as the plain average over many un-augmented
/// images ("precise BatchNorm"). Training leaves them an exponential average over its last ~10 augmented batches:
/// two adjacent epochs of the default model's run, at a learning rate of 1e-5 where the weights barely move, differed
/// by 0.1 years of validation age MAE.
/// </summary>
public static class BatchNormCalibration
{
    /// <summary>File name of the calibrated copy of the best checkpoint that <c>face2data train --calibrate</c> writes.</summary>
    public const string CalibratedFileName = "calibrated" + Checkpoint.Extension;

    /// <summary>
    /// Loads a checkpoint, measures validation, re-estimates its BatchNorm statistics over <paramref name="trainIndices"/>,
    /// measures validation again and writes the result to <paramref name="outputPath"/> (atomically, without trainer
    /// state: it is not a point to resume from). The checkpoint's validation metrics are replaced by the new ones.
    /// </summary>
    public static CalibrationResult CalibrateCheckpoint(
        string checkpointPath, string outputPath, TrainingData data, IReadOnlyList<int> trainIndices, int batchSize = 128,
        CancellationToken cancellationToken = default)
    {
        if (trainIndices.Count < 2)
        {
            throw new ArgumentException($"Re-estimating BatchNorm statistics needs at least 2 training images; {trainIndices.Count} given.", nameof(trainIndices));
        }

        var (model, info) = Checkpoint.Load(Checkpoint.ResolvePath(checkpointPath));
        using (model)
        {
            using var images = data.Images(info.Preprocessing, cancellationToken);
            var loss = new MultiTaskLoss(data.Schema);
            var (_, before) = Trainer.Evaluate(model, loss, data, data.Validation, images, info.Preprocessing, cancellationToken);
            var used = Recalibrate(model, trainIndices, images, info.Preprocessing, batchSize, cancellationToken);
            var (_, after) = Trainer.Evaluate(model, loss, data, data.Validation, images, info.Preprocessing, cancellationToken);
            Checkpoint.Save(outputPath, model, info with
            {
                Metrics = info.Metrics is { } metrics ? metrics with { Validation = after } : null,
                State = null,
                Calibration = $"BatchNorm statistics re-estimated on {used:N0} un-augmented training images at {info.Preprocessing.Size} px; validation metrics re-measured, validation loss from training",
            });
            return new CalibrationResult(used, info.Preprocessing.Size, before, after);
        }
    }

    /// <summary>
    /// Replaces the running statistics of the model's BatchNorm layers with the image-weighted average of the batch
    /// statistics over <paramref name="indices"/>. Only the BatchNorm layers run in training mode (dropout stays off);
    /// weights are not touched. Returns the number of images used (a last batch of one image is skipped).
    /// </summary>
    public static int Recalibrate(
        MultiHeadModel model, IReadOnlyList<int> indices, PreprocessedImageCache images, ImagePreprocessing preprocessing,
        int batchSize = 128, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 2);
        var layers = model.modules().OfType<NormBase>().Where(l => l.track_running_stats).ToArray();
        var momenta = layers.Select(l => l.momentum).ToArray();
        var pixels = new byte[batchSize * preprocessing.PixelLength];
        var order = indices.ToArray();
        var seen = 0;
        model.eval();
        foreach (var layer in layers)
        {
            layer.train();
        }

        try
        {
            using var noGrad = no_grad();
            for (var start = 0; start < order.Length; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = order.AsSpan(start, Math.Min(batchSize, order.Length - start));
                if (batch.Length < 2)
                {
                    continue; // a single image has no batch variance in the heads' 1-d BatchNorm
                }

                // running = (1 - m) * running + m * batch with m = this batch's share of all images so far: the
                // exact image-weighted mean of the batch statistics (the first batch overwrites the old values).
                seen += batch.Length;
                foreach (var layer in layers)
                {
                    layer.momentum = (double)batch.Length / seen;
                }

                images.CopyImages(batch, pixels.AsSpan(0, batch.Length * images.PixelLength));
                using var scope = NewDisposeScope();
                model.forward(ImageBatch.ToTensor(pixels, batch.Length, preprocessing));
            }
        }
        finally
        {
            for (var i = 0; i < layers.Length; i++)
            {
                layers[i].momentum = momenta[i];
            }

            model.eval();
        }

        return seen;
    }
}
