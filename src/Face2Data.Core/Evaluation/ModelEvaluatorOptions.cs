using Face2Data.Core.Charts;

namespace Face2Data.Core.Evaluation;

/// <summary>How a <see cref="ModelEvaluator"/> runs.</summary>
public sealed record ModelEvaluatorOptions
{
    /// <summary>Images per inference batch.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Folder of preprocessed image caches; <see cref="Data.PreprocessedImageCache.DefaultDirectory"/> when null.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Confidence bins of the expected calibration error.</summary>
    public int CalibrationBins { get; init; } = CalibrationError.DefaultBinCount;

    /// <summary>Layout of the prediction grid.</summary>
    public PredictionGridOptions Grid { get; init; } = PredictionGridOptions.Default;

    /// <summary>The defaults.</summary>
    public static ModelEvaluatorOptions Default { get; } = new();
}
