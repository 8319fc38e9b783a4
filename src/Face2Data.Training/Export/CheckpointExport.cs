using Face2Data.Detection;
using Face2Data.Inference;
using Face2Data.Onnx;
using Face2Data.Training.Models;
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
    /// <paramref name="testTimeFlip"/> builds the mirror-and-average into the graph; <paramref name="weights"/>
    /// says how to store the weights that are not a byte each (float16: half the size, outputs within about 1e-3).
    /// </summary>
    public static ModelManifest Export(string checkpointPath, string outputPath, string? name = null, string version = "1", IReadOnlyDictionary<string, double>? metrics = null, string? license = null, bool testTimeFlip = false, WeightStorage weights = WeightStorage.Float32)
    {
        var path = Checkpoint.ResolvePath(checkpointPath);
        var (model, info) = Checkpoint.Load(path);
        using (model)
        {
            var manifest = Manifest(info, name ?? Checkpoint.RunName(path), version, metrics ?? ValidationMetrics(info), license, testTimeFlip) with
            {
                AfterTraining = AfterTraining(info),
            };
            return Write(model, manifest, outputPath, weights);
        }
    }

    /// <summary>
    /// Loads two or more checkpoints of the same model (same architecture, options, schema and input size; the same
    /// frozen pretrained weights), such as trainings with other seeds, and writes them as one ONNX file that runs the
    /// frozen trunk once and averages the members' predictions (<see cref="FrozenTrunkEnsemble"/>), with its manifest
    /// and model card. The members' validation metrics are not the ensemble's, so the manifest carries
    /// <paramref name="metrics"/> only (measure them with <c>face2data evaluate --part validation</c> on the members'
    /// split); the name defaults to the first member's run folder.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two checkpoints, or members that are not trainings of one model.</exception>
    public static ModelManifest ExportEnsemble(IReadOnlyList<string> checkpointPaths, string outputPath, string? name = null, string version = "1", IReadOnlyDictionary<string, double>? metrics = null, string? license = null, bool testTimeFlip = false, WeightStorage weights = WeightStorage.Float32)
    {
        ArgumentNullException.ThrowIfNull(checkpointPaths);
        if (checkpointPaths.Count < 2)
        {
            throw new ArgumentException($"An ensemble needs at least two checkpoints; got {checkpointPaths.Count}.", nameof(checkpointPaths));
        }

        var paths = checkpointPaths.Select(Checkpoint.ResolvePath).ToList();
        var infos = paths.Select(Checkpoint.ReadInfo).ToList();
        for (var i = 1; i < infos.Count; i++)
        {
            var differences = infos[i].Model.DifferencesFrom(infos[0].Model);
            if (differences.Count > 0)
            {
                throw new ArgumentException($"{paths[i]} is not the same model as {paths[0]} (different {string.Join(", ", differences)}), so they cannot share one trunk.", nameof(checkpointPaths));
            }
        }

        var models = new List<MultiHeadModel>();
        try
        {
            models.AddRange(paths.Select(p => Checkpoint.Load(p).Model));
            using var ensemble = new FrozenTrunkEnsemble(models);
            models.Clear();
            var members = string.Join(", ", paths.Select(Checkpoint.RunName));
            var manifest = Manifest(infos[0], name ?? Checkpoint.RunName(paths[0]), version, metrics ?? new Dictionary<string, double>(), license, testTimeFlip) with
            {
                Architecture = $"{infos[0].Model.Architecture}, ensemble of {paths.Count}",
                Teacher = string.Join("; ", paths.Zip(infos).Where(m => m.Second.Teacher.Length > 0).Select(m => $"{Checkpoint.RunName(m.First)}: {m.Second.Teacher}")),
                AfterTraining =
                [
                    $"Ensemble of {paths.Count} trainings ({members}): one frozen trunk, their probabilities and values averaged",
                    .. paths.Zip(infos).SelectMany(m => AfterTraining(m.Second).Select(step => $"{Checkpoint.RunName(m.First)}: {step}")),
                ],
            };
            return Write(ensemble, manifest, outputPath, weights);
        }
        finally
        {
            foreach (var model in models)
            {
                model.Dispose();
            }
        }
    }

    private static ModelManifest Manifest(CheckpointInfo info, string name, string version, IReadOnlyDictionary<string, double> metrics, string? license, bool testTimeFlip) => new()
    {
        Name = name,
        Version = version,
        Architecture = info.Model.Architecture,
        Schema = info.Model.Schema,
        Preprocessing = info.Preprocessing,
        // Our datasets are UTKFace-style aligned crops; this maps a Haar box to that framing (measured).
        Crop = CropGeometry.UtkFaceHaar,
        Metrics = metrics,
        TrainingData = info.TrainingData,
        License = license ?? (info.TrainingData.Contains("UTKFace", StringComparison.OrdinalIgnoreCase) ? UtkFaceLicense : ""),
        CreatedUtc = DateTimeOffset.UtcNow,
        TestTimeFlip = testTimeFlip,
        Teacher = info.Teacher,
    };

    private static ModelManifest Write(TorchSharp.torch.nn.Module model, ModelManifest manifest, string outputPath, WeightStorage weights)
    {
        model.eval();
        OnnxExporter.Export(model, manifest, outputPath, weights);
        ModelCard.Write(manifest, outputPath);
        return manifest;
    }

    // What was done to the weights after training, as the checkpoint records it.
    private static string[] AfterTraining(CheckpointInfo info) =>
        new[] { info.FineTuning, info.Calibration, info.Averaging, info.PriorCorrection }.Where(s => s.Length > 0).ToArray();

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
