namespace Face2Data.IO;

/// <summary>Writes output files so a reader sees the old file or the whole new one, never half of it.</summary>
public static class AtomicFile
{
    /// <summary>A temp path beside <paramref name="path"/> (same folder, so the final move is a rename).</summary>
    public static string TempPathFor(string path) =>
        $"{path}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp";

    /// <summary>Writes text to a temp file, then moves it over <paramref name="path"/>.</summary>
    public static void WriteAllText(string path, string text) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, leaveOpen: true);
        writer.Write(text);
    });

    /// <summary>
    /// Lets <paramref name="write"/> fill a temp file, flushes it to disk, then moves it over <paramref name="path"/>;
    /// if <paramref name="write"/> throws, <paramref name="path"/> is untouched and the temp file is removed.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temp = TempPathFor(fullPath);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
