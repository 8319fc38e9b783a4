namespace Face2Data.Datasets;

/// <summary>Opens a dataset by its path, whatever its kind.</summary>
public static class FaceDatasets
{
    /// <summary>A CSV of attributes (<c>.csv</c>), or a UTKFace folder or <c>.tar.gz</c> archive.</summary>
    /// <param name="path">The dataset's file or folder.</param>
    /// <param name="log">Receives notes on skipped files (UTKFace names without a race, say).</param>
    /// <exception cref="IOException">The dataset cannot be read.</exception>
    /// <exception cref="InvalidDataException">The dataset is malformed.</exception>
    public static IFaceDataset Open(string path, Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? CsvAttributeDataset.Open(path) : UtkFaceDataset.Open(path, log);
    }
}
