using Face2Data.Datasets;
using Face2Data.Detection;
using Face2Data.Imaging;
using Face2Data.Inference;
using OpenCvSharp;

namespace Face2Data.Tests.Detection;

/// <summary>
/// UTKFace crops from the shared archive (read at test time, never stored) and a default Haar detector,
/// shared by the tests of a class.
/// </summary>
public sealed class UtkFaceCrops : IDisposable
{
    private const int Count = 16;

    // Raw cascade hits a face must gather to count as found robustly: a face that barely passes (6 hits for the
    // default 5 neighbours) can be lost when the picture is scaled or re-encoded, which moves the scanning grid.
    private const int RobustScore = 15;

    public UtkFaceCrops()
    {
        var dataset = UtkFaceDataset.Open(TestFiles.SharedUtkFaceArchive());
        var decoder = new ImageDecoder();
        // Spread through the archive, so the crops span its ages (it is sorted by name, so by age) rather than
        // being its first images, all of people aged 100 and more.
        Crops = FaceDatasetSubset.Spread(dataset, Count).ReadImages().Select(image => decoder.Decode(image.Bytes)).ToList();
        Detector = new HaarFaceDetector();
        ThreeFaces = Scene(900, 500, Grey, ThreeFacePlaces);
    }

    /// <summary>The background of <see cref="ThreeFaces"/>.</summary>
    public static Scalar Grey { get; } = new(128, 128, 128);

    /// <summary>Where <see cref="ThreeFaces"/> has its faces: three sizes, apart from each other and from the edges.</summary>
    public static IReadOnlyList<Rect> ThreeFacePlaces { get; } = [new(40, 60, 260, 260), new(380, 120, 180, 180), new(660, 200, 130, 130)];

    /// <summary>A 900×500 grey scene with faces at <see cref="ThreeFacePlaces"/>; tests must not modify it.</summary>
    public Mat ThreeFaces { get; }

    /// <summary>Images spread evenly over the archive (200×200 BGR).</summary>
    public IReadOnlyList<Mat> Crops { get; }

    public HaarFaceDetector Detector { get; }

    /// <summary>
    /// A scene of the given size and colour with a crop pasted at each of <paramref name="places"/> (resized to it).
    /// The Haar cascade misses a few UTKFace faces in a hundred, and whether it finds a borderline face also depends
    /// on where the face falls on its scanning grid; so for each place the scene takes the next crop that the
    /// detector finds clearly (with many raw hits) when that crop alone is pasted there. A test then checks what detecting several faces at once adds: all
    /// found, none merged or lost, boxes mapped back, largest first. The caller disposes the scene.
    /// </summary>
    public Mat Scene(int width, int height, Scalar background, IReadOnlyList<Rect> places)
    {
        var scene = new Mat(height, width, MatType.CV_8UC3, background);
        var next = 0;
        foreach (var place in places)
        {
            while (true)
            {
                Assert.True(next < Crops.Count, $"None of the {Count} UTKFace crops is found at {place}.");
                var crop = Crops[next++];
                if (FoundAlone(crop, width, height, background, place))
                {
                    Paste(scene, crop, place);
                    break;
                }
            }
        }

        return scene;
    }

    /// <summary>IoU of the crop a model cuts from <paramref name="box"/> (UTKFace's Haar geometry) with a planted crop.</summary>
    public static double CropIoU(FaceBox box, Rect planted)
    {
        var region = FaceCrop.Region(box, CropGeometry.UtkFaceHaar);
        return new FaceBox(region.X, region.Y, region.Width, region.Height).IntersectionOverUnion(new FaceBox(planted.X, planted.Y, planted.Width, planted.Height));
    }

    public void Dispose()
    {
        ThreeFaces.Dispose();
        Detector.Dispose();
        foreach (var crop in Crops)
        {
            crop.Dispose();
        }
    }

    private static void Paste(Mat scene, Mat crop, Rect place)
    {
        using var target = new Mat(scene, place);
        Cv2.Resize(crop, target, place.Size, interpolation: InterpolationFlags.Area);
    }

    private bool FoundAlone(Mat crop, int width, int height, Scalar background, Rect place)
    {
        using var alone = new Mat(height, width, MatType.CV_8UC3, background);
        Paste(alone, crop, place);
        var found = Detector.Detect(alone);
        return found.Count == 1 && found[0].Score >= RobustScore;
    }
}
