using System.Globalization;
using Face2Data.Schema;
using OpenCvSharp;

namespace Face2Data.Inference;

/// <summary>
/// Draws an analysis onto a copy of its image: a box per face (green when detected, orange when the whole image
/// was taken as the face), its landmarks as dots when it has them (eyes, nose, mouth corners), and a label line such
/// as <c>1: female 97%, 31 y, white 88%</c> above it.
/// </summary>
public static class FaceAnnotator
{
    private static readonly Scalar DetectedColour = new(60, 200, 60);
    private static readonly Scalar WholeImageColour = new(0, 160, 255);
    private static readonly Scalar TextColour = new(255, 255, 255);
    private static readonly Scalar LandmarkColour = new(255, 220, 0);

    /// <summary>
    /// A BGR copy of <paramref name="image"/> (8-bit, 1, 3 or 4 channels; the upright image that was analysed) with
    /// every face of <paramref name="analysis"/> drawn on it, numbered from 1 in the analysis's order. The caller
    /// disposes the result.
    /// </summary>
    /// <exception cref="ArgumentException">The image is not 8-bit or is not the size the analysis reports.</exception>
    public static Mat Annotate(Mat image, FaceAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(analysis);
        if (image.Empty() || image.Depth() != MatType.CV_8U || image.Channels() is not (1 or 3 or 4))
        {
            throw new ArgumentException("Expected a non-empty 8-bit image with 1, 3 or 4 channels.", nameof(image));
        }

        if (image.Width != analysis.Width || image.Height != analysis.Height)
        {
            throw new ArgumentException($"The image is {image.Width}x{image.Height} but the analysis is of a {analysis.Width}x{analysis.Height} image.", nameof(analysis));
        }

        var canvas = new Mat();
        try
        {
            switch (image.Channels())
            {
                case 1:
                    Cv2.CvtColor(image, canvas, ColorConversionCodes.GRAY2BGR);
                    break;
                case 4:
                    Cv2.CvtColor(image, canvas, ColorConversionCodes.BGRA2BGR);
                    break;
                default:
                    image.CopyTo(canvas);
                    break;
            }

            // Lines and text grow with the image, so they stay legible on a phone photo and small on a crop.
            var longSide = Math.Max(canvas.Width, canvas.Height);
            var thickness = Math.Max(1, (int)Math.Round(longSide / 400.0));
            var fontScale = Math.Clamp(longSide / 1200.0, 0.35, 2.5);
            for (var i = 0; i < analysis.Faces.Count; i++)
            {
                var face = analysis.Faces[i];
                var colour = face.Detected ? DetectedColour : WholeImageColour;
                var box = new Rect(face.Box.X, face.Box.Y, face.Box.Width, face.Box.Height);
                Cv2.Rectangle(canvas, box, colour, thickness, LineTypes.Link8);
                if (face.Landmarks is { } landmarks)
                {
                    DrawLandmarks(canvas, landmarks, Math.Max(2, Math.Min(face.Box.Width, face.Box.Height) / 40));
                }

                DrawLabel(canvas, $"{i + 1}: {Label(face)}", box, colour, fontScale, Math.Max(1, thickness / 2));
            }

            return canvas;
        }
        catch
        {
            canvas.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One line of plain ASCII text about a face (OpenCV's fonts draw nothing else; other characters become '?'): each categorical head's label
    /// and its probability, each regression head's value and unit, in schema order, such as
    /// <c>female 97%, 31 y, white 88%</c>.
    /// </summary>
    public static string Label(FaceResult face)
    {
        ArgumentNullException.ThrowIfNull(face);
        var parts = new List<string>(face.Attributes.Count);
        foreach (var prediction in face.Attributes.Values)
        {
            if (prediction.Kind == HeadKind.Regression && prediction.Value is { } value)
            {
                parts.Add(Regression(value, prediction.Unit));
            }
            else if (prediction.Label is { } label)
            {
                var confidence = prediction.Confidence is { } c ? string.Create(CultureInfo.InvariantCulture, $" {c * 100:0}%") : "";
                parts.Add(label + confidence);
            }
        }

        return Ascii(parts.Count == 0 ? "face" : string.Join(", ", parts));
    }

    private static string Regression(float value, string? unit)
    {
        var number = Math.Abs(value) >= 10
            ? value.ToString("0", CultureInfo.InvariantCulture)
            : value.ToString("0.##", CultureInfo.InvariantCulture);
        return unit switch
        {
            null or "" => number,
            "years" => number + " y",
            _ => $"{number} {unit}",
        };
    }

    // Hershey fonts have glyphs for printable ASCII only; say so with '?' rather than let OpenCV draw junk.
    private static string Ascii(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = source[i] is >= ' ' and <= '~' ? source[i] : '?';
            }
        });

    private static void DrawLandmarks(Mat canvas, Detection.FaceLandmarks landmarks, int radius)
    {
        foreach (var point in landmarks.Points)
        {
            var centre = new Point((int)Math.Round(point.X), (int)Math.Round(point.Y));
            Cv2.Circle(canvas, centre, radius, LandmarkColour, -1, LineTypes.AntiAlias);
        }
    }

    private static void DrawLabel(Mat canvas, string text, Rect box, Scalar colour, double fontScale, int thickness)
    {
        const HersheyFonts font = HersheyFonts.HersheySimplex;
        var size = Cv2.GetTextSize(text, font, fontScale, thickness, out var baseline);
        var margin = Math.Max(2, size.Height / 4);
        var height = size.Height + baseline + (2 * margin);
        // Above the box when there is room, else just inside its top; kept within the image left and right.
        var top = box.Y - height >= 0 ? box.Y - height : Math.Max(0, box.Y);
        var left = Math.Clamp(box.X, 0, Math.Max(0, canvas.Width - size.Width - (2 * margin)));
        Cv2.Rectangle(canvas, new Rect(left, top, size.Width + (2 * margin), height), colour, -1);
        Cv2.PutText(canvas, text, new Point(left + margin, top + margin + size.Height), font, fontScale, TextColour, thickness, LineTypes.AntiAlias);
    }
}
