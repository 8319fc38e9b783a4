namespace Face2Data.Core.Data;

/// <summary>Writes output files so a reader sees the old file or the whole new one, never half of it.</summary>
internal static class AtomicFile
{
    /// <summary>A temp path beside <paramref name="path"/> (same folder, so the final move is a rename).</summary>
    public static string TempPathFor(string path) =>
        $"{path}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp";

    /// <summary>Writes text to a temp file, then moves it over <paramref name="path"/>.</summary>
    public static void WriteAllText(string path, string text)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temp = TempPathFor(fullPath);
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
