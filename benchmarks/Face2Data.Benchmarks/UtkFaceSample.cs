using Face2Data.Datasets;
using Face2Data.Imaging;
using OpenCvSharp;

namespace Face2Data.Benchmarks;

/// <summary>A seeded random selection of UTKFace crops, decoded; images stay in memory only, never on disk.</summary>
internal sealed class UtkFaceSample : IDisposable
{
    private UtkFaceSample(List<(string Id, Mat Image)> images) => Images = images;

    public IReadOnlyList<(string Id, Mat Image)> Images { get; }

    /// <summary>Reads <paramref name="count"/> images chosen uniformly at random (seeded) from the dataset.</summary>
    public static UtkFaceSample Read(string dataset, int count, int seed, CancellationToken cancellationToken)
    {
        var utk = UtkFaceDataset.Open(dataset);
        count = Math.Min(count, utk.Samples.Count);
        var chosen = Enumerable.Range(0, utk.Samples.Count).ToArray();
        new Random(seed).Shuffle(chosen);
        var wanted = chosen.Take(count).ToHashSet();
        var last = wanted.Max();
        var decoder = new ImageDecoder();
        var images = new List<(string, Mat)>(count);
        foreach (var (index, bytes) in utk.ReadImages(cancellationToken))
        {
            if (wanted.Contains(index))
            {
                images.Add((utk.Samples[index].Id, decoder.Decode(bytes)));
            }

            if (index >= last)
            {
                break;
            }
        }

        // Shuffle again so that the order does not follow file names (which sort by age).
        var result = images.ToArray();
        new Random(seed + 1).Shuffle(result);
        return new UtkFaceSample([.. result]);
    }

    public void Dispose()
    {
        foreach (var (_, image) in Images)
        {
            image.Dispose();
        }
    }
}
