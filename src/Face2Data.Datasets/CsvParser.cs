using System.Text;

namespace Face2Data.Datasets;

/// <summary>One CSV record: the 1-based line it starts on and its fields.</summary>
internal readonly record struct CsvRecord(int Line, string[] Fields);

/// <summary>
/// A small RFC 4180 reader: comma separators, fields optionally in double quotes, <c>""</c> for a quote inside a
/// quoted field, quoted fields may span lines, CRLF, LF or CR line ends. Blank lines are skipped.
/// </summary>
internal static class CsvParser
{
    /// <summary>Reads every record; malformed quoting throws <see cref="DatasetFormatException"/>.</summary>
    public static IEnumerable<CsvRecord> Read(TextReader reader, string filePath)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var afterQuote = false;
        int next;
        while ((next = reader.Read()) != -1)
        {
            var c = (char)next;
            if (inQuotes)
            {
                if (c == '"' && reader.Peek() == '"')
                {
                    reader.Read();
                    field.Append('"');
                }
                else if (c == '"')
                {
                    inQuotes = false;
                    afterQuote = true;
                }
                else
                {
                    if (c == '\n' || (c == '\r' && reader.Peek() != '\n'))
                    {
                        line++;
                    }

                    field.Append(c);
                }
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                afterQuote = false;
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                if (fields.Count > 0 || field.Length > 0 || afterQuote)
                {
                    fields.Add(field.ToString());
                    yield return new CsvRecord(recordLine, fields.ToArray());
                }

                fields.Clear();
                field.Clear();
                afterQuote = false;
                line++;
                recordLine = line;
            }
            else if (c == '"')
            {
                if (field.Length > 0 || afterQuote)
                {
                    throw new DatasetFormatException(filePath, line, "a double quote inside an unquoted field; quote the whole field and double the quote.");
                }

                inQuotes = true;
            }
            else
            {
                if (afterQuote)
                {
                    throw new DatasetFormatException(filePath, line, $"text after a closing quote ('{c}'); a quoted field must end at a comma or line end.");
                }

                field.Append(c);
            }
        }

        if (inQuotes)
        {
            throw new DatasetFormatException(filePath, recordLine, "a quoted field is never closed.");
        }

        if (fields.Count > 0 || field.Length > 0 || afterQuote)
        {
            fields.Add(field.ToString());
            yield return new CsvRecord(recordLine, fields.ToArray());
        }
    }
}
