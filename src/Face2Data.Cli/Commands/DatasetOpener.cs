using Face2Data.Datasets;

namespace Face2Data.Cli.Commands;

/// <summary>Opens a dataset by its path: a CSV of attributes, or a UTKFace folder or archive.</summary>
internal static class DatasetOpener
{
    public static IFaceDataset Open(string path, int limit, Action<string> log)
    {
        var dataset = FaceDatasets.Open(path, log);
        return limit > 0 ? FaceDatasetSubset.First(dataset, limit) : dataset;
    }
}
