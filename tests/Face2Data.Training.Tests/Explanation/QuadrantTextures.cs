using System.Security.Cryptography;
using Face2Data.Datasets;
using Face2Data.Schema;
using OpenCvSharp;

namespace Face2Data.Training.Tests.Explanation;

/// <summary>
/// Synthetic 32 × 32 images whose label lies in one known quadrant only: over a random background colour with pixel
/// noise, each quadrant is either plain or striped (period 4 px, random phase, horizontal or vertical), and the label
/// is whether the top-right quadrant is striped. The other three quadrants are striped or plain at random and say
/// nothing, so a model that learnt the task can only rely on that quadrant.
/// </summary>
internal sealed class QuadrantTextures : IFaceDataset
{
    public const int Size = 32;

    /// <summary>The quadrant the label depends on: rows 0–15, columns 16–31.</summary>
    public static Rect Target { get; } = new(Size / 2, 0, Size / 2, Size / 2);

    private readonly IReadOnlyList<byte[]> _images;

    public QuadrantTextures(int count, int seed)
    {
        var random = new Random(seed);
        var images = new List<byte[]>(count);
        var samples = new List<FaceSample>(count);
        for (var i = 0; i < count; i++)
        {
            var striped = random.Next(2) == 1;
            using var image = Draw(random, striped, otherStripes: 0.5);
            images.Add(image.ImEncode(".png"));
            samples.Add(new FaceSample($"texture{i:D5}.png", [striped ? 1 : 0]));
        }

        _images = images;
        Samples = samples;
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(images.SelectMany(b => b).ToArray()))[..16];
    }

    /// <summary>One head, "target": whether the target quadrant is plain or striped.</summary>
    public static AttributeSchema TargetSchema { get; } = new([AttributeHead.Categorical("target", ["plain", "striped"])]);

    public AttributeSchema Schema => TargetSchema;

    public IReadOnlyList<FaceSample> Samples { get; }

    public string Fingerprint { get; }

    public string Source => "synthetic quadrant textures";

    /// <summary>
    /// A BGR image whose target quadrant is striped or plain, and each other quadrant striped with probability
    /// <paramref name="otherStripes"/>. The caller disposes it.
    /// </summary>
    public static Mat Draw(Random random, bool stripedTarget, double otherStripes)
    {
        var image = new Mat(Size, Size, MatType.CV_8UC3);
        var background = new[] { random.Next(70, 186), random.Next(70, 186), random.Next(70, 186) };
        var half = Size / 2;
        for (var quadrant = 0; quadrant < 4; quadrant++)
        {
            var (top, left) = (quadrant / 2 * half, quadrant % 2 * half);
            var striped = top == Target.Y && left == Target.X ? stripedTarget : random.NextDouble() < otherStripes;
            var horizontal = random.Next(2) == 1;
            var phase = random.Next(4);
            for (var y = top; y < top + half; y++)
            {
                for (var x = left; x < left + half; x++)
                {
                    var stripe = striped ? ((horizontal ? y : x) + phase) / 2 % 2 == 0 ? 45 : -45 : 0;
                    var pixel = new Vec3b(
                        Clamp(background[0] + stripe + random.Next(-15, 16)),
                        Clamp(background[1] + stripe + random.Next(-15, 16)),
                        Clamp(background[2] + stripe + random.Next(-15, 16)));
                    image.Set(y, x, pixel);
                }
            }
        }

        return image;
    }

    public IEnumerable<(int Index, byte[] Bytes)> ReadImages(CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < _images.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return (i, _images[i]);
        }
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
}
