using Face2Data.Detection;
using OpenCvSharp;

namespace Face2Data.Tests.Detection;

/// <summary>
/// The default detector on real WIDER FACE photos from ../shared with their official boxes: every face found at
/// IoU ≥ 0.5, nothing else, and landmarks from the bundled network inside each box.
/// </summary>
public sealed class RealPhotoDetectionTests
{
    private static readonly string WiderFolder = Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "datasets", "wider-face-train");

    [Theory]
    [InlineData("1--Handshaking/1_Handshaking_Handshaking_1_141.jpg")]
    [InlineData("1--Handshaking/1_Handshaking_Handshaking_1_164.jpg")]
    public void The_default_detector_finds_each_annotated_face_and_nothing_else(string photo)
    {
        var truth = OfficialBoxes(photo);
        using var image = Cv2.ImRead(Path.Combine(WiderFolder, "images", photo), ImreadModes.Color);
        using var detector = FaceDetectors.Create(FaceDetectors.Default)!;
        using var landmarker = new FaceLandmark68Landmarker(FaceLandmark68LandmarkerOptions.Default);

        var found = detector.Detect(image);

        Assert.Equal(truth.Count, found.Count);
        foreach (var face in truth)
        {
            var best = found.Max(f => f.Box.IntersectionOverUnion(face));
            Assert.True(best >= 0.5, $"{photo}: the face at {face} is matched at IoU {best:0.00} only; found {string.Join(", ", found.Select(f => f.Box))}");
        }

        foreach (var face in found)
        {
            var landmarks = landmarker.Locate(image, face.Box);
            Assert.All(landmarks.Points, p => Assert.True(
                p.X >= face.Box.X && p.X <= face.Box.X + face.Box.Width && p.Y >= face.Box.Y && p.Y <= face.Box.Y + face.Box.Height,
                $"landmark {p} outside {face.Box}"));
            Assert.True(landmarks.LeftEye.Y < landmarks.MouthLeft.Y && landmarks.RightEye.Y < landmarks.MouthRight.Y);
        }
    }

    // The official annotation of one photo: name line, count line, then "x y w h blur expression illumination invalid occlusion pose".
    private static List<FaceBox> OfficialBoxes(string photo)
    {
        var lines = File.ReadAllLines(Directory.EnumerateFiles(WiderFolder, "*.txt").Single());
        var at = Array.IndexOf(lines, photo);
        Assert.True(at >= 0, $"{photo} is not in the annotation file");
        var count = int.Parse(lines[at + 1], System.Globalization.CultureInfo.InvariantCulture);
        return lines.Skip(at + 2).Take(count)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray())
            .Select(v => new FaceBox(v[0], v[1], v[2], v[3]))
            .ToList();
    }
}
