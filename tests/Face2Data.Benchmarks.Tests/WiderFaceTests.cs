using Face2Data.Benchmarks.WiderFace;
using Face2Data.Detection;

namespace Face2Data.Benchmarks.Tests;

public sealed class WiderFaceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("f2d-wider-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_official_format_is_read_with_invalid_flags_and_the_zero_line_of_a_photo_without_faces()
    {
        var file = Path.Combine(_directory, "gt.txt");
        File.WriteAllText(file, """
            0--Parade/a.jpg
            2
            122 380 10 12 2 0 0 0 1 0 
            246 378 12 14 2 0 0 1 0 0 
            1--Handshaking/b.jpg
            0
            0 0 0 0 0 0 0 0 0 0 
            1--Handshaking/c.jpg
            1
            10 20 64 70 0 0 0 0 0 0 
            """);

        var images = WiderFaceSet.Read(file, "/photos");

        Assert.Equal(["/photos/0--Parade/a.jpg", "/photos/1--Handshaking/b.jpg", "/photos/1--Handshaking/c.jpg"], images.Select(i => i.Path));
        Assert.Equal([new WiderFaceBox(new FaceBox(122, 380, 10, 12), false), new WiderFaceBox(new FaceBox(246, 378, 12, 14), true)], images[0].Faces);
        Assert.Empty(images[1].Faces);
        Assert.Equal(70, images[2].Faces[0].Side);
    }

    [Fact]
    public void A_truncated_file_is_an_error_naming_the_line()
    {
        var file = Path.Combine(_directory, "gt.txt");
        File.WriteAllText(file, "0--Parade/a.jpg\n2\n122 380 10 12 2 0 0 0 1 0\n");

        var error = Assert.Throws<InvalidDataException>(() => WiderFaceSet.Read(file, "/photos"));
        Assert.Contains("line 4", error.Message);
    }

    [Fact]
    public void Recall_precision_and_average_precision_follow_the_matching_rules()
    {
        WiderFaceBox[] faces =
        [
            new(new FaceBox(0, 0, 100, 100), false),    // valid, ≥ 64
            new(new FaceBox(200, 0, 40, 40), false),    // valid, ≥ 32
            new(new FaceBox(300, 0, 40, 40), true),     // invalid
            new(new FaceBox(400, 0, 20, 20), false),    // valid, small
        ];
        (FaceBox, float)[] detections =
        [
            (new FaceBox(2, 2, 100, 100), 0.9f),        // takes the large face: TP
            (new FaceBox(0, 0, 100, 100), 0.8f),        // the large face is taken, nothing else overlaps: FP
            (new FaceBox(300, 0, 40, 40), 0.7f),        // takes the invalid face: ignored
            (new FaceBox(400, 0, 20, 20), 0.6f),        // takes the small valid face: TP, not in the AP
            (new FaceBox(200, 0, 40, 40), 0.5f),        // takes the 40 px face: TP
        ];
        var score = new WiderFaceScore();

        score.Add(faces, detections);

        Assert.Equal((2, 1), score.FaceCounts);
        Assert.Equal(1.0, score.Recall64);
        Assert.Equal(1.0, score.Recall32);
        Assert.Equal(3 / 4.0, score.Precision);
        // AP ≥ 32 px, by score: TP (r .5, p 1), FP (r .5, p .5), TP (r 1, p 2/3); interpolated: .5·1 + .5·(2/3).
        Assert.Equal(0.5 + (0.5 * 2 / 3.0), score.AveragePrecision(), 12);
    }
}
