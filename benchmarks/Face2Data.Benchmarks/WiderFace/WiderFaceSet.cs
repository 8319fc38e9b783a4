using System.Globalization;
using Face2Data.Detection;

namespace Face2Data.Benchmarks.WiderFace;

/// <summary>One ground-truth face of a WIDER FACE annotation: its box and whether the set marks it invalid.</summary>
internal readonly record struct WiderFaceBox(FaceBox Box, bool Invalid)
{
    /// <summary>The longer side, in pixels: what the size buckets use.</summary>
    public int Side => Math.Max(Box.Width, Box.Height);
}

/// <summary>One photo of a WIDER-format set and its faces.</summary>
internal sealed record WiderFaceImage(string Path, IReadOnlyList<WiderFaceBox> Faces);

/// <summary>
/// A WIDER-format face set: an annotation file in the official format (name line, count line, then one
/// <c>x1 y1 w h blur expression illumination invalid occlusion pose</c> line per face) and an image folder.
/// </summary>
internal static class WiderFaceSet
{
    /// <summary>Reads the annotation file; image paths are resolved under <paramref name="imageFolder"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not in the official format.</exception>
    public static IReadOnlyList<WiderFaceImage> Read(string annotations, string imageFolder)
    {
        var lines = File.ReadAllLines(annotations).Select(l => l.Trim()).ToList();
        var images = new List<WiderFaceImage>();
        for (var i = 0; i < lines.Count;)
        {
            if (lines[i].Length == 0)
            {
                i++;
                continue;
            }

            var name = lines[i];
            if (i + 1 >= lines.Count || !int.TryParse(lines[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                throw new InvalidDataException($"{annotations}, line {i + 2}: expected the face count of '{name}'.");
            }

            // The official file lists one all-zero line for an image without faces.
            var rows = Math.Max(count, 1);
            var faces = new List<WiderFaceBox>();
            for (var r = 0; r < rows; r++)
            {
                var at = i + 2 + r;
                var fields = at < lines.Count ? lines[at].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
                if (fields.Length < 8 || !fields.Take(8).All(f => int.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                {
                    throw new InvalidDataException($"{annotations}, line {at + 1}: expected 'x1 y1 w h blur expression illumination invalid …'.");
                }

                var v = fields.Take(8).Select(f => int.Parse(f, CultureInfo.InvariantCulture)).ToArray();
                if (count > 0)
                {
                    faces.Add(new WiderFaceBox(new FaceBox(v[0], v[1], v[2], v[3]), v[7] == 1));
                }
            }

            images.Add(new WiderFaceImage(Path.Combine(imageFolder, name), faces));
            i += 2 + rows;
        }

        return images;
    }
}
