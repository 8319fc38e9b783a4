using System.Globalization;
using System.Text;
using Face2Data.Schema;

namespace Face2Data.Datasets;

/// <summary>
/// A dataset described by a CSV file: a header row, one image-path column and any number of attribute columns,
/// such as FairFace's <c>file,age,gender,race,service_test</c>. Image paths are relative to the CSV's folder
/// (absolute paths work too); <see cref="FaceSample.Id"/> is the path as written; samples keep the file's row order.
/// </summary>
/// <remarks>
/// Without a schema, a column whose values are all numbers becomes a regression head over [min, max] of its values,
/// any other column a categorical head whose classes are its distinct values in natural order (<c>3-9</c> before
/// <c>10-19</c>). Every non-path column becomes a head unless listed in
/// <see cref="CsvAttributeDatasetOptions.IgnoreColumns"/>; FairFace's <c>service_test</c> is thus a two-class head
/// unless ignored. Values are trimmed of surrounding spaces.
/// </remarks>
public sealed class CsvAttributeDataset : IFaceDataset
{
    private static readonly string[] PathColumnNames = ["file", "path", "image", "filename"];

    private readonly string[] _imagePaths;
    private readonly string[] _header;
    private readonly string[][] _rows;

    private CsvAttributeDataset(string source, string pathColumn, AttributeSchema schema, FaceSample[] samples, string[] imagePaths, long[] sizes, string[] header, string[][] rows)
    {
        _header = header;
        _rows = rows;
        Source = source;
        PathColumn = pathColumn;
        Schema = schema;
        Samples = samples;
        _imagePaths = imagePaths;
        Fingerprint = DatasetFingerprint.Compute(schema, samples, sizes);
    }

    /// <summary>The given schema, or the one inferred from the columns.</summary>
    public AttributeSchema Schema { get; }

    /// <summary>One sample per data row, in file order.</summary>
    public IReadOnlyList<FaceSample> Samples { get; }

    /// <summary>
    /// Hash of the schema and each sample's id, file size (when <see cref="CsvAttributeDatasetOptions.CheckFilesExist"/>)
    /// and labels.
    /// </summary>
    public string Fingerprint { get; }

    /// <summary>The full path of the CSV file.</summary>
    public string Source { get; }

    /// <summary>Header of the column the image paths were read from.</summary>
    public string PathColumn { get; }

    /// <summary>Every column of the file, in header order (the path column and ignored columns included).</summary>
    public IReadOnlyList<string> Columns => _header;

    /// <summary>
    /// The values of a column, one per sample, as written (trimmed; empty when the cell is): for columns that are no
    /// head, such as London's <c>ethnicity</c>, read as groups of an evaluation.
    /// </summary>
    /// <exception cref="ArgumentException">The file has no such column.</exception>
    public IReadOnlyList<string> ColumnValues(string column)
    {
        var index = Array.IndexOf(_header, column);
        return index >= 0 ? _rows.Select(row => row[index]).ToArray()
            : throw new ArgumentException($"'{Source}' has no column '{column}'. Columns: {string.Join(", ", _header)}.", nameof(column));
    }

    /// <summary>The column names of a CSV file's header row (trimmed).</summary>
    /// <exception cref="FileNotFoundException">The CSV file does not exist.</exception>
    /// <exception cref="DatasetFormatException">The file is empty.</exception>
    public static IReadOnlyList<string> ReadHeader(string csvPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(csvPath);
        var source = Path.GetFullPath(csvPath);
        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"No CSV file at '{source}'.", source);
        }

        using var reader = new StreamReader(source, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var first = CsvParser.Read(reader, source).Take(1).ToList();
        return first.Count > 0 ? first[0].Fields.Select(f => f.Trim()).ToArray()
            : throw new DatasetFormatException(source, 1, "the file is empty; expected a header row.");
    }

    /// <summary>Reads a labels CSV and checks every row.</summary>
    /// <param name="csvPath">The CSV file.</param>
    /// <param name="options">Path column, ignored columns, schema and file checks; defaults when null.</param>
    /// <exception cref="FileNotFoundException">The CSV file does not exist.</exception>
    /// <exception cref="DatasetFormatException">
    /// A row is bad (wrong field count, empty value, unknown label, non-numeric or out-of-range value in a regression
    /// column, duplicate or missing image), or the header lacks a needed column.
    /// </exception>
    public static CsvAttributeDataset Open(string csvPath, CsvAttributeDatasetOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(csvPath);
        options ??= new CsvAttributeDatasetOptions();
        var source = Path.GetFullPath(csvPath);
        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"No CSV file at '{source}'.", source);
        }

        List<CsvRecord> records;
        using (var reader = new StreamReader(source, Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
        {
            records = CsvParser.Read(reader, source).ToList();
        }

        if (records.Count == 0)
        {
            throw new DatasetFormatException(source, 1, "the file is empty; expected a header row.");
        }

        var header = records[0].Fields.Select(f => f.Trim()).ToArray();
        var rows = records.Skip(1).Select(r => new CsvRecord(r.Line, r.Fields.Select(f => f.Trim()).ToArray())).ToList();
        var headerLine = records[0].Line;
        CheckHeader(source, headerLine, header);
        var pathIndex = FindPathColumn(source, headerLine, header, options.PathColumn);
        var columns = AttributeColumns(source, headerLine, header, pathIndex, options);
        if (rows.Count == 0)
        {
            throw new DatasetFormatException(source, headerLine, "the file has a header but no data rows.");
        }

        var folder = Path.GetDirectoryName(source)!;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var imagePaths = new string[rows.Count];
        var sizes = new long[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            CheckRow(source, row, header, pathIndex, options.AllowMissingValues && options.Schema is not null ? [] : columns);
            var id = row.Fields[pathIndex];
            if (!ids.Add(id))
            {
                throw new DatasetFormatException(source, row.Line, $"image '{id}' is listed twice.");
            }

            imagePaths[r] = Path.GetFullPath(Path.Combine(folder, id));
            sizes[r] = -1;
            if (options.CheckFilesExist)
            {
                var file = new FileInfo(imagePaths[r]);
                if (!file.Exists)
                {
                    throw new DatasetFormatException(source, row.Line, $"image file '{id}' does not exist (looked for '{file.FullName}').");
                }

                sizes[r] = file.Length;
            }
        }

        var schema = options.Schema ?? InferSchema(source, headerLine, header, columns, rows);
        var samples = new FaceSample[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            var labels = new float[columns.Length];
            for (var h = 0; h < columns.Length; h++)
            {
                var value = rows[r].Fields[columns[h]];
                labels[h] = value.Length == 0 ? float.NaN : ParseLabel(source, rows[r].Line, schema.Heads[h], value);
            }

            samples[r] = new FaceSample(rows[r].Fields[pathIndex], labels);
        }

        return new CsvAttributeDataset(source, header[pathIndex], schema, samples, imagePaths, sizes, header, rows.Select(r => r.Fields).ToArray());
    }

    /// <summary>Reads each image file in sample order.</summary>
    /// <exception cref="FileNotFoundException">An image file is missing; the message names its sample.</exception>
    public IEnumerable<(int Index, byte[] Bytes)> ReadImages(CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < _imagePaths.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!File.Exists(_imagePaths[i]))
            {
                throw new FileNotFoundException($"Image '{Samples[i].Id}' of '{Source}' does not exist (looked for '{_imagePaths[i]}').", _imagePaths[i]);
            }

            yield return (i, File.ReadAllBytes(_imagePaths[i]));
        }
    }

    private static void CheckHeader(string source, int line, string[] header)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in header)
        {
            if (name.Length == 0)
            {
                throw new DatasetFormatException(source, line, "the header has an empty column name.");
            }

            if (!seen.Add(name))
            {
                throw new DatasetFormatException(source, line, $"the header names column '{name}' twice.");
            }
        }
    }

    private static int FindPathColumn(string source, int line, string[] header, string? name)
    {
        if (name is not null)
        {
            var index = Array.IndexOf(header, name);
            return index >= 0 ? index
                : throw new DatasetFormatException(source, line, $"the header has no image-path column '{name}'. Columns: {string.Join(", ", header)}.");
        }

        var found = Array.FindIndex(header, h => PathColumnNames.Contains(h, StringComparer.OrdinalIgnoreCase));
        return found >= 0 ? found
            : throw new DatasetFormatException(source, line, $"the header has no image-path column (file, path, image or filename); name one with PathColumn. Columns: {string.Join(", ", header)}.");
    }

    // Column index of each head, in head order.
    private static int[] AttributeColumns(string source, int line, string[] header, int pathIndex, CsvAttributeDatasetOptions options)
    {
        foreach (var ignored in options.IgnoreColumns)
        {
            if (!header.Contains(ignored, StringComparer.Ordinal))
            {
                throw new DatasetFormatException(source, line, $"the ignored column '{ignored}' is not in the header. Columns: {string.Join(", ", header)}.");
            }
        }

        if (options.Schema is { } schema)
        {
            return schema.Heads.Select(head =>
            {
                var index = Array.IndexOf(header, head.Name);
                return index >= 0 && index != pathIndex ? index
                    : throw new DatasetFormatException(source, line, $"the header has no column for schema head '{head.Name}'. Columns: {string.Join(", ", header)}.");
            }).ToArray();
        }

        var columns = Enumerable.Range(0, header.Length)
            .Where(i => i != pathIndex && !options.IgnoreColumns.Contains(header[i], StringComparer.Ordinal))
            .ToArray();
        return columns.Length > 0 ? columns
            : throw new DatasetFormatException(source, line, "the header has no attribute columns besides the image path.");
    }

    private static void CheckRow(string source, CsvRecord row, string[] header, int pathIndex, int[] columns)
    {
        if (row.Fields.Length != header.Length)
        {
            throw new DatasetFormatException(source, row.Line, $"expected {header.Length} fields like the header, found {row.Fields.Length}.");
        }

        foreach (var column in columns.Prepend(pathIndex))
        {
            if (row.Fields[column].Length == 0)
            {
                throw new DatasetFormatException(source, row.Line, $"empty value in column '{header[column]}'.");
            }
        }
    }

    private static AttributeSchema InferSchema(string source, int line, string[] header, int[] columns, List<CsvRecord> rows)
    {
        var heads = new List<AttributeHead>();
        foreach (var column in columns)
        {
            var name = header[column];
            var values = rows.Select(r => r.Fields[column]).ToList();
            var numbers = values.Select(v => TryParseNumber(v, out var x) ? x : (float?)null).ToList();
            if (numbers.All(n => n.HasValue))
            {
                var min = numbers.Min()!.Value;
                var max = numbers.Max()!.Value;
                heads.Add(max > min ? AttributeHead.Regression(name, min, max)
                    : throw new DatasetFormatException(source, line, $"numeric column '{name}' has the single value {min}; ignore it or give a schema."));
                continue;
            }

            var classes = values.Distinct(StringComparer.Ordinal).Order(NaturalStringComparer.Instance).ToArray();
            heads.Add(classes.Length >= 2 ? AttributeHead.Categorical(name, classes)
                : throw new DatasetFormatException(source, line, $"column '{name}' has the single value '{classes[0]}'; ignore it or give a schema."));
        }

        return new AttributeSchema(heads);
    }

    private static float ParseLabel(string source, int line, AttributeHead head, string value)
    {
        if (head.Kind == HeadKind.Categorical)
        {
            var index = head.ClassIndex(value);
            return index >= 0 ? index
                : throw new DatasetFormatException(source, line, $"unknown label '{value}' in column '{head.Name}'; expected one of {string.Join(", ", head.Classes)}.");
        }

        if (!TryParseNumber(value, out var number))
        {
            throw new DatasetFormatException(source, line, $"'{value}' in regression column '{head.Name}' is not a number.");
        }

        return number >= head.Min && number <= head.Max ? number
            : throw new DatasetFormatException(source, line, $"{value} in column '{head.Name}' is outside [{head.Min}, {head.Max}].");
    }

    private static bool TryParseNumber(string text, out float value) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);
}
