namespace Face2Data.Cli.Commands;

/// <summary>Expands command-line inputs (files, folders, globs such as <c>photos/*.jpg</c> or <c>data/**/*.png</c>) into image files.</summary>
internal static class InputFiles
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff",
    };

    /// <summary>The files, in the order given (folders and globs sorted), and the inputs that matched nothing.</summary>
    public static (List<string> Files, List<string> Unmatched) Expand(IEnumerable<string> inputs)
    {
        var files = new List<string>();
        var unmatched = new List<string>();
        foreach (var input in inputs)
        {
            var matches = Match(input);
            if (matches.Count == 0)
            {
                unmatched.Add(input);
            }

            files.AddRange(matches);
        }

        return (files.Distinct(StringComparer.Ordinal).ToList(), unmatched);
    }

    private static List<string> Match(string input)
    {
        if (File.Exists(input))
        {
            return [input];
        }

        if (Directory.Exists(input))
        {
            return Sorted(Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Where(IsImage));
        }

        if (input.IndexOfAny(['*', '?']) < 0)
        {
            return [];
        }

        // Split "dir/sub/**/*.jpg" into the literal folder and the file pattern; "**" anywhere means recursive.
        var recursive = input.Contains("**", StringComparison.Ordinal);
        var pattern = Path.GetFileName(input);
        var folder = Path.GetDirectoryName(input) ?? "";
        var wildcard = folder.IndexOfAny(['*', '?']);
        if (wildcard >= 0)
        {
            folder = Path.GetDirectoryName(folder[..wildcard]) ?? "";
        }

        folder = folder.Length == 0 ? "." : folder;
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var found = Directory.EnumerateFiles(folder, pattern == "**" ? "*" : pattern, recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly);
        return Sorted(recursive ? found.Where(IsImage) : found);
    }

    private static bool IsImage(string path) => ImageExtensions.Contains(Path.GetExtension(path));

    private static List<string> Sorted(IEnumerable<string> paths) => paths.Order(StringComparer.Ordinal).ToList();
}
