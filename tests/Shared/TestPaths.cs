namespace Face2Data.Testing;

/// <summary>Where the repository and the shared dataset are, found from the test assembly's folder.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary><c>../shared/datasets/UTKFace.tar.gz</c> beside the repository root.</summary>
    public static string UtkFaceArchive => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "datasets", "UTKFace.tar.gz"));

    /// <summary><c>../shared/datasets/london-faces/images</c>: frontal portraits (JPEG), exactly one face each.</summary>
    public static string LondonFaceImages => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "datasets", "london-faces", "images"));

    /// <summary>Where tests leave artifacts (screenshots) for people to look at.</summary>
    public static string Artifacts(string kind)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", kind);
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Face2Data.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Face2Data.slnx not found above the test folder.");
    }
}
