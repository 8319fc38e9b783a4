using Face2Data.Datasets;
using Face2Data.Detection;
using Face2Data.Imaging;
using Face2Data.Inference;
using Face2Data.Schema;
using Face2Data.Training.Export;
using Face2Data.Training.Models;
using OpenCvSharp;
using TorchSharp;
using Scalar = OpenCvSharp.Scalar;

namespace Face2Data.Training.Tests.Inference;

/// <summary>
/// What the analyzer tests share: a small random f2d model exported to ONNX with UTKFace's Haar crop geometry, a
/// default Haar detector, and UTKFace crops spread over the shared archive (read at test time, never stored).
/// </summary>
public sealed class AnalyzerFixture : IDisposable
{
    public const int InputSize = 32;
    private const int CropCount = 16;

    // Raw cascade hits a face must gather to count as found robustly: a face that barely passes (6 hits for the
    // default 5 neighbours) can be lost when the picture is re-encoded or rotated, which moves the scanning grid.
    private const int RobustScore = 15;

    public AnalyzerFixture()
    {
        // A distribution head keeps a random model's age inside 0–116, so it is not clamped and differs between faces.
        var schema = AttributeSchema.UtkFace.WithLoss("age", "distribution");
        torch.manual_seed(11);
        using var model = ModelSpec.For("f2d", schema, InputSize).Create();
        model.eval();
        var manifest = new ModelManifest
        {
            Name = "analyzer-test",
            Architecture = "f2d",
            Schema = schema,
            Preprocessing = new ImagePreprocessing { Size = InputSize },
            Crop = CropGeometry.UtkFaceHaar,
            CreatedUtc = DateTimeOffset.UnixEpoch,
        };
        Model = OnnxExporter.ExportToBytes(model, schema, InputSize, manifest.ToMetadata());
        Detector = new HaarFaceDetector();

        var dataset = UtkFaceDataset.Open(TestPaths.UtkFaceArchive);
        var decoder = new ImageDecoder();
        // Spread through the archive, so the crops span its ages (it is sorted by name, so by age).
        Crops = FaceDatasetSubset.Spread(dataset, CropCount).ReadImages().Select(image => decoder.Decode(image.Bytes)).ToList();
    }

    /// <summary>The exported model's bytes.</summary>
    public byte[] Model { get; }

    public HaarFaceDetector Detector { get; }

    /// <summary>UTKFace images (200×200 BGR).</summary>
    public IReadOnlyList<Mat> Crops { get; }

    public FaceAnalyzer Analyzer(DetectionMode mode, IFaceDetector? detector, int maxFaces = 20) =>
        FaceAnalyzer.Load(new MemoryStream(Model), new FaceAnalyzerOptions { Detection = mode, MaxFaces = maxFaces, IntraOpThreads = 1 }, detector);

    /// <summary>
    /// A grey scene with a UTKFace crop at each place: for each, the next crop the Haar detector finds clearly
    /// (with many raw hits) when pasted there alone. The caller disposes it.
    /// </summary>
    public Mat Scene(int width, int height, IReadOnlyList<Rect> places)
    {
        var scene = new Mat(height, width, MatType.CV_8UC3, Scalar.All(128));
        var next = 0;
        foreach (var place in places)
        {
            while (true)
            {
                Assert.True(next < Crops.Count, $"None of the {CropCount} UTKFace crops is found at {place}.");
                var crop = Crops[next++];
                using var alone = new Mat(height, width, MatType.CV_8UC3, Scalar.All(128));
                Paste(alone, crop, place);
                var found = Detector.Detect(alone);
                if (found.Count == 1 && found[0].Score >= RobustScore)
                {
                    Paste(scene, crop, place);
                    break;
                }
            }
        }

        return scene;
    }

    public void Dispose()
    {
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
}
