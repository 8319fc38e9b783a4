using OpenCvSharp;

namespace Face2Data.Benchmarks;

/// <summary>Kinds of background that synthetic scenes are drawn on.</summary>
internal enum SceneBackground
{
    /// <summary>One random colour.</summary>
    Solid,

    /// <summary>A linear blend between two random colours in a random direction.</summary>
    Gradient,

    /// <summary>Random noise smoothed at a random scale (textures such as foliage, walls, fabric).</summary>
    Noise,

    /// <summary>Many random rectangles, circles and lines over a colour (indoor clutter, edges for the cascade to trip on).</summary>
    Clutter,
}

/// <summary>Paints the backgrounds of synthetic scenes.</summary>
internal static class SceneBackgrounds
{
    /// <summary>A new <paramref name="width"/>×<paramref name="height"/> BGR background of the given kind; the caller disposes it.</summary>
    public static Mat Paint(SceneBackground kind, int width, int height, Random random)
    {
        var image = new Mat(height, width, MatType.CV_8UC3, RandomColour(random));
        switch (kind)
        {
            case SceneBackground.Gradient:
                PaintGradient(image, RandomColour(random), random);
                break;
            case SceneBackground.Noise:
                PaintNoise(image, random);
                break;
            case SceneBackground.Clutter:
                PaintClutter(image, random);
                break;
        }

        return image;
    }

    public static Scalar RandomColour(Random random) => new(random.Next(256), random.Next(256), random.Next(256));

    private static void PaintGradient(Mat image, Scalar to, Random random)
    {
        var angle = random.NextDouble() * 2 * Math.PI;
        var (dx, dy) = (Math.Cos(angle), Math.Sin(angle));
        var from = image.Get<Vec3b>(0, 0);
        var (width, height) = (image.Width, image.Height);
        var extent = (Math.Abs(dx) * width) + (Math.Abs(dy) * height);
        var origin = Math.Min(0, dx * width) + Math.Min(0, dy * height);
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var t = ((x * dx) + (y * dy) - origin) / extent;
                var i = ((y * width) + x) * 3;
                pixels[i] = (byte)((from.Item0 * (1 - t)) + (to.Val0 * t));
                pixels[i + 1] = (byte)((from.Item1 * (1 - t)) + (to.Val1 * t));
                pixels[i + 2] = (byte)((from.Item2 * (1 - t)) + (to.Val2 * t));
            }
        }

        using var painted = Mat.FromPixelData(height, width, MatType.CV_8UC3, pixels);
        painted.CopyTo(image);
    }

    private static void PaintNoise(Mat image, Random random)
    {
        // Noise drawn small and enlarged gives blobs of a random size; a little fine noise on top gives grain.
        var cell = random.Next(4, 64);
        using var coarse = new Mat(Math.Max(2, image.Height / cell), Math.Max(2, image.Width / cell), MatType.CV_8UC3);
        Cv2.Randu(coarse, Scalar.All(0), Scalar.All(256));
        Cv2.Resize(coarse, image, image.Size(), interpolation: InterpolationFlags.Cubic);
        using var grain = new Mat(image.Size(), MatType.CV_8UC3);
        Cv2.Randn(grain, Scalar.All(0), Scalar.All(random.Next(0, 20)));
        Cv2.Add(image, grain, image);
    }

    private static void PaintClutter(Mat image, Random random)
    {
        var count = random.Next(20, 80);
        var scale = Math.Max(image.Width, image.Height);
        for (var i = 0; i < count; i++)
        {
            var colour = RandomColour(random);
            var x = random.Next(image.Width);
            var y = random.Next(image.Height);
            var size = random.Next(scale / 50 + 2, scale / 5 + 3);
            switch (random.Next(3))
            {
                case 0:
                    Cv2.Rectangle(image, new Rect(x, y, size, random.Next(2, size + 2)), colour, random.Next(2) == 0 ? -1 : random.Next(1, 6));
                    break;
                case 1:
                    Cv2.Circle(image, new Point(x, y), size / 2, colour, random.Next(2) == 0 ? -1 : random.Next(1, 6));
                    break;
                default:
                    Cv2.Line(image, new Point(x, y), new Point(random.Next(image.Width), random.Next(image.Height)), colour, random.Next(1, 8));
                    break;
            }
        }
    }
}
