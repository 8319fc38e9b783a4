using Face2Data.Detection;
using Face2Data.Inference;
using Face2Data.Training.Training;

namespace Face2Data.Training.Export;

/// <summary>Turns a training checkpoint into a deployable ONNX model with its manifest and model card.</summary>
public static class CheckpointExport
{
    /// <summary>License note every model trained on UTKFace carries.</summary>
    public const string UtkFaceLicense = "Trained on UTKFace, which is available for non-commercial research purposes only; the images' copyright belongs to their owners.";

    /// <summary>
    /// Loads <paramref name="checkpointPath"/>, writes <paramref name="outputPath"/> (ONNX) and the model card beside
    /// it, and returns the manifest written. Metrics default to the checkpoint's validation metrics;
    /// <paramref name="testTimeFlip"/> builds the mirror-and-average into the graph; <paramref name="halfPrecisionWeights"/>
    /// stores the weights that are not a byte each as float16.
    /// </summary>
    public static ModelManifest Export(string checkpointPath, string outputPath, string? name = null, string version = "1", IReadOnlyDictionary<string, double>? metrics = null, string? license = null, bool testTimeFlip = false, bool halfPrecisionWeights = false)
    {
        var path = Checkpoint.ResolvePath(checkpointPath);
        var (model, info) = Checkpoint.Load(path);
        using (model)
        {
            model.eval();
            var source = info.TrainingData;
            var manifest = new ModelManifest
            {
                Name = name ?? Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? "face2data",
                Version = version,
                Architecture = info.Model.Architecture,
                Schema = info.Model.Schema,
                Preprocessing = info.Preprocessing,
                // Our datasets are UTKFace-style aligned crops; this maps a Haar box to that framing (measured).
                Crop = CropGeometry.UtkFaceHaar,
                Metrics = metrics ?? ValidationMetrics(info),
                TrainingData = source,
                License = license ?? (source.Contains("UTKFace", StringComparison.OrdinalIgnoreCase) ? UtkFaceLicense : ""),
                CreatedUtc = DateTimeOffset.UtcNow,
                TestTimeFlip = testTimeFlip,
                AfterTraining = new[] { info.Calibration, info.Averaging, info.PriorCorrection }.Where(s => s.Length > 0).ToArray(),
            };
            OnnxExporter.Export(model, manifest, outputPath, halfPrecisionWeights);
            ModelCard.Write(manifest, outputPath);
            return manifest;
        }
    }

    /// <summary>The checkpoint's validation metrics as <c>head.metric</c> keys.</summary>
    public static Dictionary<string, double> ValidationMetrics(CheckpointInfo info)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var head in info.Metrics?.Validation ?? [])
        {
            if (!double.IsNaN(head.Accuracy))
            {
                metrics[$"{head.Head}.accuracy"] = head.Accuracy;
            }
            else
            {
                metrics[$"{head.Head}.mae"] = head.Mae;
                metrics[$"{head.Head}.rmse"] = head.Rmse;
                metrics[$"{head.Head}.r2"] = head.R2;
            }
        }

        return metrics;
    }
}
