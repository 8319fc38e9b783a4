namespace Face2Data.Datasets;

/// <summary>
/// Orders strings with their digit runs compared as numbers, so age bins sort as people read them:
/// <c>0-2</c> &lt; <c>3-9</c> &lt; <c>10-19</c> &lt; … &lt; <c>more than 70</c>. Other text compares ordinally.
/// </summary>
internal sealed class NaturalStringComparer : IComparer<string>
{
    public static NaturalStringComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                var xEnd = RunEnd(x, i);
                var yEnd = RunEnd(y, j);
                var order = CompareNumbers(x[i..xEnd], y[j..yEnd]);
                if (order != 0)
                {
                    return order;
                }

                i = xEnd;
                j = yEnd;
            }
            else
            {
                if (x[i] != y[j])
                {
                    return x[i].CompareTo(y[j]);
                }

                i++;
                j++;
            }
        }

        var lengthOrder = (x.Length - i).CompareTo(y.Length - j);
        return lengthOrder != 0 ? lengthOrder : string.CompareOrdinal(x, y);
    }

    private static int RunEnd(string text, int start)
    {
        while (start < text.Length && char.IsAsciiDigit(text[start]))
        {
            start++;
        }

        return start;
    }

    // Digit runs of any length: compare without leading zeros by length, then digit by digit.
    private static int CompareNumbers(string a, string b)
    {
        a = a.TrimStart('0');
        b = b.TrimStart('0');
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
    }
}
