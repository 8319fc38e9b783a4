using System.Globalization;
using Face2Data.Datasets;
using Face2Data.IO;
using Face2Data.Reporting.Evaluation;
using Face2Data.Schema;
using OpenCvSharp;

namespace Face2Data.Reporting.Charts;

/// <summary>
/// A grid of faces, each with one line per head giving the true and the predicted label (<c>head: true / predicted</c>);
/// a wrong prediction is written in red and its face framed in red.
/// </summary>
/// <remarks>
/// Layout: a title band of <see cref="TitleHeight"/> pixels, then rows of <c>Columns</c> cells. A cell is
/// <c>CellSize</c> wide and <c>CellSize + heads × LineHeight + Padding</c> tall: the face, then the text lines.
/// Drawn with OpenCV's built-in (ASCII) font, so it needs no installed font.
/// </remarks>
public static class PredictionGrid
{
    /// <summary>Height of the title band, in pixels.</summary>
    public const int TitleHeight = 28;

    /// <summary>Height of one text line, in pixels.</summary>
    public const int LineHeight = 18;

    /// <summary>Space below the text lines of a cell, in pixels.</summary>
    public const int Padding = 6;

    private const int FrameThickness = 4;
    private const double MaxFontScale = 0.42;
    private static readonly Scalar Background = Scalar.White;
    private static readonly Scalar Right = new(40, 120, 0);
    private static readonly Scalar Wrong = new(0, 0, 220);
    private static readonly Scalar Unknown = new(128, 128, 128);
    private static readonly Scalar Ink = new(30, 30, 30);

    /// <summary>The samples (positions in the prediction set) a grid of <paramref name="count"/> faces shows: spread evenly.</summary>
    public static IReadOnlyList<int> Pick(int available, int count) =>
        available <= count
            ? Enumerable.Range(0, available).ToArray()
            : Enumerable.Range(0, count).Select(i => (int)((long)i * available / count)).ToArray();

    /// <summary>Width and height of a grid of <paramref name="faces"/> faces and <paramref name="heads"/> heads.</summary>
    public static (int Width, int Height) SizeFor(int faces, int heads, PredictionGridOptions? options = null)
    {
        options ??= PredictionGridOptions.Default;
        var columns = Math.Min(options.Columns, Math.Max(faces, 1));
        var rows = Math.Max(1, (faces + options.Columns - 1) / options.Columns);
        return (columns * options.CellSize, TitleHeight + (rows * CellHeight(heads, options)));
    }

    /// <summary>
    /// Draws the grid and writes it as PNG (atomically). Faces are read from <paramref name="images"/>, the cache of the
    /// predictions' dataset.
    /// </summary>
    /// <returns>The number of faces drawn.</returns>
    public static int Write(string path, PredictionSet predictions, PreprocessedImageCache images, PredictionGridOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(images);
        options ??= PredictionGridOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CellSize, 32);
        if (predictions.Count == 0)
        {
            throw new ArgumentException("There are no predictions to draw.", nameof(predictions));
        }

        var picked = Pick(predictions.Count, options.Count);
        var heads = predictions.Schema.Heads;
        var (width, height) = SizeFor(picked.Count, heads.Count, options);
        using var grid = new Mat(height, width, MatType.CV_8UC3, Background);
        var mistakes = 0;
        for (var i = 0; i < picked.Count; i++)
        {
            var x = i % options.Columns * options.CellSize;
            var y = TitleHeight + (i / options.Columns * CellHeight(heads.Count, options));
            mistakes += DrawCell(grid, x, y, predictions, picked[i], images, options) ? 1 : 0;
        }

        var title = $"true / predicted, wrong in red: {mistakes} of {picked.Count} faces have a mistake";
        PutFitted(grid, title, new Point(6, TitleHeight - 9), width - 12, Ink);
        Cv2.ImEncode(".png", grid, out var png);
        AtomicFile.Write(path, stream => stream.Write(png));
        return picked.Count;
    }

    private static int CellHeight(int heads, PredictionGridOptions options) => options.CellSize + (heads * LineHeight) + Padding;

    // Draws one face and its lines; true when any head is wrong.
    private static bool DrawCell(Mat grid, int x, int y, PredictionSet predictions, int sample, PreprocessedImageCache images, PredictionGridOptions options)
    {
        var size = options.CellSize;
        using (var face = Face(images, predictions.Indices[sample], size))
        using (var target = new Mat(grid, new Rect(x, y, size, size)))
        {
            face.CopyTo(target);
        }

        var heads = predictions.Schema.Heads;
        var anyWrong = false;
        for (var h = 0; h < heads.Count; h++)
        {
            var head = heads[h];
            var tolerance = options.RegressionTolerance * (head.Max - head.Min);
            var correct = predictions.IsCorrect(h, sample, tolerance);
            anyWrong |= correct == false;
            var line = $"{head.Name}: {TrueText(predictions, h, sample)} / {PredictedText(predictions, h, sample)}";
            var colour = correct switch { true => Right, false => Wrong, null => Unknown };
            PutFitted(grid, line, new Point(x + 4, y + size + ((h + 1) * LineHeight) - 4), size - 8, colour);
        }

        if (anyWrong)
        {
            // Four filled strips along the face's edges, so the frame covers exactly its outer pixels.
            Cv2.Rectangle(grid, new Rect(x, y, size, FrameThickness), Wrong, -1);
            Cv2.Rectangle(grid, new Rect(x, y + size - FrameThickness, size, FrameThickness), Wrong, -1);
            Cv2.Rectangle(grid, new Rect(x, y, FrameThickness, size), Wrong, -1);
            Cv2.Rectangle(grid, new Rect(x + size - FrameThickness, y, FrameThickness, size), Wrong, -1);
        }

        return anyWrong;
    }

    private static Mat Face(PreprocessedImageCache images, int index, int size)
    {
        var pixels = images.Image(index).ToArray();
        using var rgb = Mat.FromPixelData(images.Size, images.Size, MatType.CV_8UC3, pixels);
        using var bgr = new Mat();
        Cv2.CvtColor(rgb, bgr, ColorConversionCodes.RGB2BGR);
        var face = new Mat();
        Cv2.Resize(bgr, face, new Size(size, size), 0, 0, size > images.Size ? InterpolationFlags.Cubic : InterpolationFlags.Area);
        return face;
    }

    private static string TrueText(PredictionSet predictions, int head, int sample)
    {
        var truth = predictions.Truth(head, sample);
        if (float.IsNaN(truth))
        {
            return "?";
        }

        var attribute = predictions.Schema.Heads[head];
        return attribute.Kind == HeadKind.Categorical ? attribute.Classes[(int)truth] : truth.ToString("0.#", CultureInfo.InvariantCulture);
    }

    private static string PredictedText(PredictionSet predictions, int head, int sample)
    {
        var attribute = predictions.Schema.Heads[head];
        return attribute.Kind == HeadKind.Categorical
            ? attribute.Classes[predictions.PredictedClass(head, sample)]
            : predictions.PredictedValue(head, sample).ToString("0.#", CultureInfo.InvariantCulture);
    }

    // Hershey fonts draw ASCII only; the text shrinks to fit the width.
    private static void PutFitted(Mat image, string text, Point origin, int maxWidth, Scalar colour)
    {
        var ascii = new string(text.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
        var scale = MaxFontScale;
        var width = Cv2.GetTextSize(ascii, HersheyFonts.HersheySimplex, scale, 1, out _).Width;
        if (width > maxWidth)
        {
            scale *= (double)maxWidth / width;
        }

        Cv2.PutText(image, ascii, origin, HersheyFonts.HersheySimplex, scale, colour, 1, LineTypes.AntiAlias);
    }
}
