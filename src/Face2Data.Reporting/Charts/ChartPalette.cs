using ScottPlot;

namespace Face2Data.Reporting.Charts;

/// <summary>Colours shared by the charts.</summary>
internal static class ChartPalette
{
    private static readonly IPalette Categories = new ScottPlot.Palettes.Category10();

    /// <summary>The colour of category <paramref name="index"/> (repeats after ten).</summary>
    public static Color Category(int index) => Categories.GetColor(index);

    /// <summary>Training series.</summary>
    public static Color Train => Categories.GetColor(0);

    /// <summary>Validation series.</summary>
    public static Color Validation => Categories.GetColor(1);
}
