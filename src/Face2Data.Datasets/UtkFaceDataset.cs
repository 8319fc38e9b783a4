using System.Diagnostics.CodeAnalysis;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using Face2Data.Schema;

namespace Face2Data.Datasets;

/// <summary>
/// The UTKFace dataset, read from its folder or straight from its <c>.tar.gz</c> (or <c>.tar</c>) archive without
/// extracting it. Labels come from file names <c>age_gender_race_datetime.jpg.chip.jpg</c>; names that do not
/// parse are skipped and listed in <see cref="SkippedNames"/>.
/// </summary>
/// <remarks>
/// Samples are sorted by file name (ordinal) whatever the source, so a folder and an archive of the same files give
/// the same samples, order and <see cref="Fingerprint"/>. Subfolders are searched; files whose names start with
/// '.' are ignored. <see cref="ReadImages"/> makes one sequential pass through an archive; when the archive is not
/// stored in name order (the official one is), entries that arrive early are held in memory until their turn.
/// </remarks>
public sealed class UtkFaceDataset : IFaceDataset
{
    private const int MaxNamesLogged = 20;

    private readonly bool _isArchive;
    private readonly string[] _filePaths;
    private readonly long[] _sizes;
    private readonly Dictionary<string, int> _indexById;

    private UtkFaceDataset(string source, bool isArchive, List<Entry> entries, IReadOnlyList<string> skippedNames)
    {
        entries.Sort((a, b) => string.CompareOrdinal(a.Sample.Id, b.Sample.Id));
        Source = source;
        _isArchive = isArchive;
        Samples = entries.Select(e => e.Sample).ToArray();
        _filePaths = entries.Select(e => e.FilePath).ToArray();
        _sizes = entries.Select(e => e.Size).ToArray();
        _indexById = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Samples.Count; i++)
        {
            _indexById.Add(Samples[i].Id, i);
        }

        SkippedNames = skippedNames;
        Fingerprint = DatasetFingerprint.Compute(Schema, Samples, _sizes);
    }

    /// <summary>Always <see cref="AttributeSchema.UtkFace"/>: age (regression 0–116), gender, race.</summary>
    public AttributeSchema Schema => AttributeSchema.UtkFace;

    /// <summary>The well-named images, sorted by file name (ordinal); <see cref="FaceSample.Id"/> is the file name.</summary>
    public IReadOnlyList<FaceSample> Samples { get; }

    /// <inheritdoc/>
    public string Fingerprint { get; }

    /// <summary>The full path of the folder or archive.</summary>
    public string Source { get; }

    /// <summary>File names that were skipped because their labels do not parse, sorted (ordinal).</summary>
    public IReadOnlyList<string> SkippedNames { get; }

    /// <summary>
    /// Lists the samples of a UTKFace folder or archive (<c>.tar.gz</c>, <c>.tgz</c> or <c>.tar</c>; gzip is
    /// recognised by its magic bytes). Logs one line naming the skipped files, when there are any.
    /// </summary>
    /// <param name="path">A folder holding the images (searched recursively) or a tar archive of them.</param>
    /// <param name="log">Receives a line about skipped names; nothing is logged when none are skipped.</param>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">Two images have the same file name, or the archive is unreadable.</exception>
    public static UtkFaceDataset Open(string path, Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        var entries = new List<Entry>();
        var skipped = new List<string>();
        var isArchive = !Directory.Exists(fullPath);
        if (isArchive)
        {
            if (!File.Exists(fullPath))
            {
                throw new FileNotFoundException($"No UTKFace folder or archive at '{fullPath}'.", fullPath);
            }

            ListArchive(fullPath, entries, skipped);
        }
        else
        {
            ListFolder(fullPath, entries, skipped);
        }

        var duplicate = entries.GroupBy(e => e.Sample.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"'{fullPath}' holds more than one image named '{duplicate.Key}'.");
        }

        skipped.Sort(StringComparer.Ordinal);
        if (skipped.Count > 0)
        {
            var shown = string.Join(", ", skipped.Take(MaxNamesLogged));
            var more = skipped.Count > MaxNamesLogged ? $" and {skipped.Count - MaxNamesLogged} more" : "";
            log?.Invoke($"Skipped {skipped.Count} file(s) in {fullPath} whose names are not age_gender_race_datetime.jpg: {shown}{more}.");
        }

        return new UtkFaceDataset(fullPath, isArchive, entries, skipped);
    }

    /// <summary>
    /// Parses a UTKFace file name such as <c>25_1_3_20170119171225487.jpg.chip.jpg</c> (or the same without
    /// <c>.chip.jpg</c>) into labels in <see cref="AttributeSchema.UtkFace"/> head order: age in years, gender
    /// index (0 male, 1 female), race index (0 white, 1 black, 2 asian, 3 indian, 4 others).
    /// </summary>
    /// <returns>False when a field is missing, not a whole number or out of range, or the name is not a .jpg.</returns>
    public static bool TryParseFileName(string fileName, [NotNullWhen(true)] out float[]? labels)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        labels = null;
        if (!fileName.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var fields = fileName.Split('_');
        var age = AttributeSchema.UtkFace.Heads[0];
        if (fields.Length != 4
            || !TryParseField(fields[0], (int)age.Min, (int)age.Max, out var years)
            || !TryParseField(fields[1], 0, 1, out var gender)
            || !TryParseField(fields[2], 0, 4, out var race)
            || fields[3].Length == 0
            || !char.IsAsciiDigit(fields[3][0]))
        {
            return false;
        }

        labels = [years, gender, race];
        return true;
    }

    /// <summary>
    /// Streams the encoded JPEG bytes in sample order: one sequential pass through an archive, or each file of a
    /// folder in turn.
    /// </summary>
    /// <exception cref="InvalidDataException">The archive or folder changed since it was opened.</exception>
    public IEnumerable<(int Index, byte[] Bytes)> ReadImages(CancellationToken cancellationToken = default) =>
        _isArchive ? ReadArchive(cancellationToken) : ReadFolder(cancellationToken);

    private IEnumerable<(int Index, byte[] Bytes)> ReadFolder(CancellationToken cancellationToken)
    {
        for (var i = 0; i < _filePaths.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return (i, File.ReadAllBytes(_filePaths[i]));
        }
    }

    private IEnumerable<(int Index, byte[] Bytes)> ReadArchive(CancellationToken cancellationToken)
    {
        var early = new Dictionary<int, byte[]>();
        var next = 0;
        using var tar = OpenTar(Source);
        while (tar.GetNextEntry() is { } entry)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!IsFile(entry) || !_indexById.TryGetValue(FileName(entry.Name), out var index) || index < next)
            {
                continue;
            }

            if (entry.Length != _sizes[index])
            {
                throw new InvalidDataException($"'{Source}' changed since it was opened: '{Samples[index].Id}' has a new size.");
            }

            var bytes = new byte[entry.Length];
            entry.DataStream?.ReadExactly(bytes);
            if (index != next)
            {
                early[index] = bytes;
                continue;
            }

            yield return (next, bytes);
            next++;
            while (early.Remove(next, out var waiting))
            {
                yield return (next, waiting);
                next++;
            }
        }

        if (next != Samples.Count)
        {
            throw new InvalidDataException($"'{Source}' changed since it was opened: '{Samples[next].Id}' is missing.");
        }
    }

    private static void ListArchive(string path, List<Entry> entries, List<string> skipped)
    {
        try
        {
            using var tar = OpenTar(path);
            while (tar.GetNextEntry() is { } entry)
            {
                if (IsFile(entry))
                {
                    Add(FileName(entry.Name), path, entry.Length, entries, skipped);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new InvalidDataException($"'{path}' is not a readable tar or tar.gz archive: {e.Message}", e);
        }
    }

    private static void ListFolder(string path, List<Entry> entries, List<string> skipped)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden };
        foreach (var file in new DirectoryInfo(path).EnumerateFiles("*", options))
        {
            Add(file.Name, file.FullName, file.Length, entries, skipped);
        }
    }

    private static void Add(string fileName, string filePath, long size, List<Entry> entries, List<string> skipped)
    {
        if (fileName.StartsWith('.'))
        {
            return;
        }

        if (TryParseFileName(fileName, out var labels))
        {
            entries.Add(new Entry(new FaceSample(fileName, labels), filePath, size));
        }
        else
        {
            skipped.Add(fileName);
        }
    }

    // Disposing the reader disposes the gzip and file streams under it.
    private static TarReader OpenTar(string path)
    {
        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            var isGzip = stream.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            stream.Position = 0;
            if (isGzip)
            {
                stream = new GZipStream(stream, CompressionMode.Decompress);
            }

            return new TarReader(stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static bool IsFile(TarEntry entry) =>
        entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile;

    // Tar names always use '/', whatever the platform.
    private static string FileName(string entryName) => entryName[(entryName.LastIndexOf('/') + 1)..];

    private static bool TryParseField(string text, int min, int max, out float value)
    {
        value = 0;
        if (text.Length is 0 or > 4 || !text.All(char.IsAsciiDigit))
        {
            return false;
        }

        var number = int.Parse(text, CultureInfo.InvariantCulture);
        value = number;
        return number >= min && number <= max;
    }

    private readonly record struct Entry(FaceSample Sample, string FilePath, long Size);
}
