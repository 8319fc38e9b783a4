namespace Face2Data.Training.Training;

/// <summary>A progressive-resizing stage: train at <paramref name="Size"/> pixels for <paramref name="Epochs"/> epochs.</summary>
public sealed record TrainingStage(int Size, int Epochs)
{
    /// <summary>Parses <c>64:8,96:12</c> into stages.</summary>
    public static IReadOnlyList<TrainingStage> ParseList(string text)
    {
        var stages = new List<TrainingStage>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(':');
            if (pieces.Length != 2 || !int.TryParse(pieces[0], out var size) || !int.TryParse(pieces[1], out var epochs) || size < 8 || epochs < 1)
            {
                throw new FormatException($"Bad stage '{part}': expected SIZE:EPOCHS such as 64:8 (size ≥ 8, epochs ≥ 1).");
            }

            stages.Add(new TrainingStage(size, epochs));
        }

        return stages.Count > 0 ? stages : throw new FormatException("No stages given.");
    }
}
