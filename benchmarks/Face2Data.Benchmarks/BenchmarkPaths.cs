namespace Face2Data.Benchmarks;

/// <summary>Default locations, found from the folder holding Face2Data.slnx.</summary>
internal static class BenchmarkPaths
{
    /// <summary><c>../shared/datasets/UTKFace.tar.gz</c> beside the repository, or that path relative to the current folder.</summary>
    public static string DefaultDataset()
    {
        for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Face2Data.slnx")))
            {
                return Path.GetFullPath(Path.Combine(folder.FullName, "..", "shared", "datasets", "UTKFace.tar.gz"));
            }
        }

        return Path.GetFullPath(Path.Combine("..", "shared", "datasets", "UTKFace.tar.gz"));
    }

    /// <summary>
    /// A cascade given as a path, or as the short name of one of OpenCV's frontal cascades (default, alt, alt2,
    /// alt_tree) beside the detector's own; null for the detector's own.
    /// </summary>
    public static string? Cascade(string? nameOrPath) => nameOrPath switch
    {
        null => null,
        "default" or "alt" or "alt2" or "alt_tree" => Path.Combine(
            Path.GetDirectoryName(Face2Data.Detection.HaarFaceDetector.FindDefaultCascade()) ?? ".",
            $"haarcascade_frontalface_{nameOrPath}.xml"),
        _ => nameOrPath,
    };
}
