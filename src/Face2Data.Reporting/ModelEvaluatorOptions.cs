using Face2Data.Reporting.Charts;
using Face2Data.Reporting.Evaluation;

namespace Face2Data.Reporting;

/// <summary>How a <see cref="ModelEvaluator"/> runs.</summary>
public sealed record ModelEvaluatorOptions
{
    /// <summary>Images per inference batch.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Folder of preprocessed image caches; <see cref="Datasets.PreprocessedImageCache.DefaultDirectory"/> when null.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Confidence bins of the expected calibration error.</summary>
    public int CalibrationBins { get; init; } = CalibrationError.DefaultBinCount;

    /// <summary>Layout of the prediction grid.</summary>
    public PredictionGridOptions Grid { get; init; } = PredictionGridOptions.Default;

    /// <summary>The defaults.</summary>
    public static ModelEvaluatorOptions Default { get; } = new();
}
