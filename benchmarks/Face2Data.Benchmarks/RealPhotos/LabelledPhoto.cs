namespace Face2Data.Benchmarks.RealPhotos;

/// <summary>One photo of a labelled real-photo set (labels.csv: file, gender and, where the set has them, age and race).</summary>
/// <param name="Path">The photo's file.</param>
/// <param name="Gender">female or male.</param>
/// <param name="Age">Age in years, when known.</param>
/// <param name="Race">UTKFace's race class, when the set maps one.</param>
internal sealed record LabelledPhoto(string Path, string Gender, double? Age, string? Race)
{
    /// <summary>Reads <c>labels.csv</c> of a set folder (header row; columns file, gender, and optionally age and race; no quoted commas).</summary>
    public static IReadOnlyList<LabelledPhoto> ReadSet(string folder)
    {
        var labels = System.IO.Path.Combine(folder, "labels.csv");
        if (!File.Exists(labels))
        {
            throw new FileNotFoundException($"No labels.csv in '{folder}'.", labels);
        }

        var lines = File.ReadAllLines(labels);
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        int file = Column("file"), gender = Column("gender"), age = Column("age"), race = Column("race");
        if (file < 0 || gender < 0)
        {
            throw new InvalidDataException($"'{labels}' needs the columns file and gender.");
        }

        var photos = new List<LabelledPhoto>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var cells = line.Split(',');
            string? Cell(int index) => index >= 0 && index < cells.Length && cells[index].Length > 0 ? cells[index] : null;
            photos.Add(new LabelledPhoto(
                System.IO.Path.Combine(folder, cells[file]),
                cells[gender],
                Cell(age) is { } a ? double.Parse(a, System.Globalization.CultureInfo.InvariantCulture) : null,
                Cell(race)));
        }

        return photos;
    }
}
