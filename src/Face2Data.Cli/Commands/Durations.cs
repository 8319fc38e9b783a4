using System.Globalization;

namespace Face2Data.Cli.Commands;

/// <summary>Durations written as on most command lines: <c>20s</c>, <c>500ms</c>, <c>2m</c>, or plain seconds.</summary>
internal static class Durations
{
    /// <summary>Parses a duration; null when the text is not one.</summary>
    public static TimeSpan? Parse(string text)
    {
        text = text.Trim().ToLowerInvariant();
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value)
            ? TimeSpan.FromSeconds(value * unit)
            : null;
    }
}
