using OpenCvSharp;

namespace Face2Data.Benchmarks;

/// <summary>
/// A made-up photo: UTKFace crops scaled and pasted at random, non-overlapping places on a background. The pasted
/// squares are the ground truth: a detector box turned into a crop with the model's crop geometry should cover one.
/// </summary>
internal sealed class SyntheticScene : IDisposable
{
    private static readonly Size[] Sizes = [new(640, 480), new(480, 640), new(1024, 768), new(1280, 960), new(1600, 1200), new(2048, 1536), new(1536, 2048)];

    private SyntheticScene(Mat image, IReadOnlyList<Rect> faces, SceneBackground background)
    {
        Image = image;
        Faces = faces;
        Background = background;
    }

    public Mat Image { get; }

    /// <summary>Where each face crop was pasted.</summary>
    public IReadOnlyList<Rect> Faces { get; }

    public SceneBackground Background { get; }

    public double Megapixels => Image.Width * (double)Image.Height / 1e6;

    /// <summary>
    /// Scene <paramref name="index"/> of a seeded series: a size from a fixed list (0.3 to 3.1 megapixels), a
    /// background of each kind in turn, 1 to 6 faces whose crop side is log-uniform between
    /// <paramref name="minFaceSide"/> and half the scene's shorter side, taken in turn from <paramref name="crops"/>.
    /// </summary>
    public static SyntheticScene Generate(int seed, int index, IReadOnlyList<Mat> crops, int minFaceSide)
    {
        var random = new Random(unchecked((seed * 1_000_003) + index));
        var size = Sizes[random.Next(Sizes.Length)];
        var background = (SceneBackground)(index % Enum.GetValues<SceneBackground>().Length);
        var image = SceneBackgrounds.Paint(background, size.Width, size.Height, random);
        var faces = new List<Rect>();
        var wanted = random.Next(1, 7);
        var maxSide = Math.Min(size.Width, size.Height) / 2;
        for (var attempt = 0; faces.Count < wanted && attempt < 200; attempt++)
        {
            var side = (int)Math.Round(Math.Exp(Math.Log(minFaceSide) + (random.NextDouble() * Math.Log((double)maxSide / minFaceSide))));
            var place = new Rect(random.Next(size.Width - side + 1), random.Next(size.Height - side + 1), side, side);
            // Keep a gap of a tenth of a side, so neighbouring faces never touch.
            var gap = side / 10;
            var padded = new Rect(place.X - gap, place.Y - gap, side + (2 * gap), side + (2 * gap));
            if (faces.Any(f => f.IntersectsWith(padded)))
            {
                continue;
            }

            var crop = crops[random.Next(crops.Count)];
            using var scaled = new Mat();
            Cv2.Resize(crop, scaled, new Size(side, side), interpolation: side < crop.Width ? InterpolationFlags.Area : InterpolationFlags.Cubic);
            using var target = new Mat(image, place);
            scaled.CopyTo(target);
            faces.Add(place);
        }

        return new SyntheticScene(image, faces, background);
    }

    public void Dispose() => Image.Dispose();
}
