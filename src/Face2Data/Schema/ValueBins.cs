using System.Globalization;

namespace Face2Data.Schema;

/// <summary>
/// Ranges that divide a regression head's values into groups, such as age bins. Bin 0 holds values below
/// <c>Edges[0]</c>, bin i holds [<c>Edges[i − 1]</c>, <c>Edges[i]</c>), the last bin values from <c>Edges[^1]</c> up.
/// </summary>
public sealed record ValueBins
{
    /// <summary>Creates bins from ascending inner edges and one label more than edges.</summary>
    public ValueBins(IReadOnlyList<double> edges, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != edges.Count + 1)
        {
            throw new ArgumentException($"{edges.Count} edges make {edges.Count + 1} bins, but {labels.Count} labels were given.", nameof(labels));
        }

        for (var i = 1; i < edges.Count; i++)
        {
            if (!(edges[i] > edges[i - 1]))
            {
                throw new ArgumentException("Bin edges must be finite and strictly ascending.", nameof(edges));
            }
        }

        Edges = edges.ToArray();
        Labels = labels.ToArray();
    }

    /// <summary>Inner edges, ascending.</summary>
    public IReadOnlyList<double> Edges { get; }

    /// <summary>One label per bin.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Number of bins.</summary>
    public int Count => Labels.Count;

    /// <summary>Age in years: &lt;10, 10–20, 20–30, 30–40, 40–60, 60–80, 80+.</summary>
    public static ValueBins Age { get; } = new([10, 20, 30, 40, 60, 80], ["<10", "10–20", "20–30", "30–40", "40–60", "60–80", "80+"]);

    /// <summary><paramref name="count"/> bins of equal width over [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static ValueBins EqualWidth(double min, double max, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        if (!(max > min) || !double.IsFinite(min) || !double.IsFinite(max))
        {
            throw new ArgumentException($"Bins need finite min < max, got [{min}, {max}].");
        }

        var edges = Enumerable.Range(1, count - 1).Select(i => min + ((max - min) * i / count)).ToArray();
        return new ValueBins(edges, LabelsFor(edges));
    }

    /// <summary><see cref="Age"/> for a head named <c>age</c>; five equal-width bins over the head's range otherwise.</summary>
    public static ValueBins For(AttributeHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        return head.Name == "age" ? Age : EqualWidth(head.Min, head.Max, 5);
    }

    /// <summary>
    /// Bins of <paramref name="width"/> whole units over a head's range, starting at a multiple of the width below
    /// <see cref="AttributeHead.Min"/> and labelled by their integer ranges: for age 0–116 and width 10, "0–9",
    /// "10–19", …, "110–116".
    /// </summary>
    public static ValueBins Steps(AttributeHead head, int width)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        var low = (int)Math.Floor(head.Min / width) * width;
        var starts = new List<int>();
        for (var start = low; start <= head.Max; start += width)
        {
            starts.Add(start);
        }

        if (starts.Count < 2)
        {
            throw new ArgumentException($"Head '{head.Name}' spans less than two bins of width {width}.", nameof(width));
        }

        var labels = starts.Select((start, i) => string.Create(CultureInfo.InvariantCulture, $"{start}–{(i == starts.Count - 1 ? head.Max : start + width - 1)}")).ToArray();
        return new ValueBins(starts.Skip(1).Select(s => (double)s).ToArray(), labels);
    }

    /// <summary>The bin a value falls in.</summary>
    public int IndexOf(double value)
    {
        var bin = 0;
        while (bin < Edges.Count && value >= Edges[bin])
        {
            bin++;
        }

        return bin;
    }

    private static string[] LabelsFor(double[] edges)
    {
        static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
        var labels = new string[edges.Length + 1];
        labels[0] = "<" + Number(edges[0]);
        for (var i = 1; i < edges.Length; i++)
        {
            labels[i] = $"{Number(edges[i - 1])}–{Number(edges[i])}";
        }

        labels[^1] = Number(edges[^1]) + "+";
        return labels;
    }
}
