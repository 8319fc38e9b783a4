namespace Face2Data.Datasets;

/// <summary>
/// A dataset file holds a row the reader cannot use. The message names the file and the 1-based line, so the row
/// can be found and fixed.
/// </summary>
public sealed class DatasetFormatException : FormatException
{
    /// <summary>Creates the error for a line of a file.</summary>
    /// <param name="filePath">The file that holds the bad row.</param>
    /// <param name="line">The 1-based line where the bad row (or the header, line 1) starts.</param>
    /// <param name="detail">What is wrong with the row.</param>
    public DatasetFormatException(string filePath, int line, string detail)
        : base($"{filePath}, line {line}: {detail}")
    {
        FilePath = filePath;
        Line = line;
        Detail = detail;
    }

    /// <summary>The file that holds the bad row.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line where the bad row starts (1 is the header row).</summary>
    public int Line { get; }

    /// <summary>What is wrong, without the file and line.</summary>
    public string Detail { get; }
}
