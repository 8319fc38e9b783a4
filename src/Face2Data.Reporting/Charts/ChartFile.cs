using System.Text;
using Face2Data.Datasets;
using Face2Data.IO;
using ScottPlot;
using SkiaSharp;

namespace Face2Data.Reporting.Charts;

/// <summary>Renders plots to PNG files without a display, in a font that exists on this machine.</summary>
internal static class ChartFile
{
    // Fonts preferred for chart text; the first one installed wins.
    private static readonly string[] PreferredFonts = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "FreeSans"];

    // Resolved once: the installed fonts do not change while the process runs.
    private static readonly Lazy<string> Font = new(FindFont);

    /// <summary>
    /// A new plot whose text uses <see cref="FontName"/>. Plottables added afterwards take it as their default too:
    /// ScottPlot's <c>Font.Set</c> also sets its process-wide default font (always to the same font here).
    /// </summary>
    public static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set(Font.Value);
        return plot;
    }

    /// <summary>Renders <paramref name="plot"/> at the given size and writes it as PNG (atomically).</summary>
    public static void SavePng(Plot plot, string path, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        // Again after adding plottables: axis labels and the legend created since take the font too.
        plot.Font.Set(Font.Value);
        var bytes = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The font plots use.</summary>
    public static string FontName => Font.Value;

    /// <summary>A file name part made of letters, digits, '-' and '_' only.</summary>
    public static string SafeName(string name)
    {
        var safe = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }

        return safe.Length > 0 ? safe.ToString() : "_";
    }

    // SkiaSharp's Linux build reads fonts from /usr/share/fonts itself (no fontconfig), and silently draws no text
    // when it finds none, so a missing font is an error here rather than a chart without labels.
    private static string FindFont()
    {
        var installed = SKFontManager.Default.FontFamilies.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var font = PreferredFonts.FirstOrDefault(installed.Contains) ?? installed.Order(StringComparer.Ordinal).FirstOrDefault();
        return font ?? throw new InvalidOperationException(
            "No fonts are installed, so charts would have no text. On Debian or Ubuntu install fonts-dejavu-core (build/setup-system.sh does).");
    }
}
