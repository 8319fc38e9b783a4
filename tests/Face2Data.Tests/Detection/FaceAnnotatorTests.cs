using Face2Data.Detection;
using Face2Data.Imaging;
using Face2Data.Inference;
using Face2Data.Schema;
using OpenCvSharp;

namespace Face2Data.Tests.Detection;

public sealed class FaceAnnotatorTests
{
    [Fact]
    public void Label_lists_each_head_in_order_with_probability_or_unit()
    {
        var face = Face(new FaceBox(0, 0, 10, 10), detected: true,
            Categorical("gender", "female", 0.974f),
            Regression("age", 31.4f, "years"),
            Categorical("race", "white", 0.88f),
            Regression("beard", 0.4213f, null),
            Regression("yaw", -12.6f, "degrees"));

        Assert.Equal("female 97%, 31 y, white 88%, 0.42, -13 degrees", FaceAnnotator.Label(face));
    }

    [Fact]
    public void Label_is_plain_ascii_for_opencv_fonts()
    {
        var face = Face(new FaceBox(0, 0, 10, 10), detected: true, Categorical("émotion", "surprisé", 0.5f), Categorical("mood", "日本", 0.25f));

        Assert.Equal("surpris? 50%, ?? 25%", FaceAnnotator.Label(face));
    }

    [Fact]
    public void Label_of_a_face_without_attributes_is_face()
    {
        Assert.Equal("face", FaceAnnotator.Label(Face(new FaceBox(0, 0, 1, 1), detected: false)));
    }

    [Fact]
    public void Annotate_draws_each_box_in_its_colour_on_a_copy()
    {
        using var image = new Mat(300, 400, MatType.CV_8UC3, Scalar.All(0));
        var analysis = new FaceAnalysis(400, 300,
            [
                Face(new FaceBox(150, 100, 100, 120), detected: true, Categorical("gender", "male", 0.6f)),
                Face(new FaceBox(0, 0, 400, 300), detected: false),
            ],
            default);

        using var annotated = FaceAnnotator.Annotate(image, analysis);

        Assert.Equal(0, Cv2.CountNonZero(image.Reshape(1)));
        Assert.Equal(image.Size(), annotated.Size());
        Assert.Equal(MatType.CV_8UC3, annotated.Type());
        // Left edge of the detected face's box, below its label: green.
        Assert.Equal(new Vec3b(60, 200, 60), annotated.At<Vec3b>(200, 150));
        // Bottom edge of the whole-image box: orange.
        Assert.Equal(new Vec3b(0, 160, 255), annotated.At<Vec3b>(299, 200));
        // Inside the box, away from the label: untouched.
        Assert.Equal(new Vec3b(0, 0, 0), annotated.At<Vec3b>(200, 200));
        // The label sits above the detected box: its band starts before the box's top edge.
        Assert.Equal(new Vec3b(60, 200, 60), annotated.At<Vec3b>(97, 152));
    }

    [Fact]
    public void Annotate_draws_a_dot_on_each_landmark_and_nothing_between_them()
    {
        using var image = new Mat(300, 400, MatType.CV_8UC3, Scalar.All(0));
        var landmarks = new FaceLandmarks(new(180, 150), new(220, 150), new(200, 175), new(185, 200), new(215, 200));
        var face = Face(new FaceBox(150, 100, 100, 120), detected: true) with { Landmarks = landmarks };

        using var annotated = FaceAnnotator.Annotate(image, new FaceAnalysis(400, 300, [face], default));

        foreach (var point in landmarks.Points)
        {
            Assert.Equal(new Vec3b(255, 220, 0), annotated.At<Vec3b>((int)point.Y, (int)point.X));
        }

        Assert.Equal(new Vec3b(0, 0, 0), annotated.At<Vec3b>(150, 200)); // between the eyes
    }

    [Fact]
    public void Annotate_accepts_gray_images_and_returns_bgr()
    {
        using var gray = new Mat(50, 60, MatType.CV_8UC1, Scalar.All(10));
        var analysis = new FaceAnalysis(60, 50, [Face(new FaceBox(10, 10, 20, 20), detected: true)], default);

        using var annotated = FaceAnnotator.Annotate(gray, analysis);

        Assert.Equal(MatType.CV_8UC3, annotated.Type());
        Assert.Equal(new Vec3b(10, 10, 10), annotated.At<Vec3b>(45, 55));
    }

    [Fact]
    public void Annotate_refuses_an_analysis_of_another_image_size()
    {
        using var image = new Mat(50, 60, MatType.CV_8UC3);
        var analysis = new FaceAnalysis(50, 60, [], default);

        var error = Assert.Throws<ArgumentException>(() => FaceAnnotator.Annotate(image, analysis));

        Assert.Contains("60x50", error.Message);
    }

    private static FaceResult Face(FaceBox box, bool detected, params AttributePrediction[] predictions) =>
        new(box, detected, detected ? 10 : null, predictions.ToDictionary(p => p.Head, StringComparer.Ordinal));

    private static AttributePrediction Categorical(string head, string label, float confidence) => new()
    {
        Head = head,
        Kind = HeadKind.Categorical,
        Label = label,
        Confidence = confidence,
    };

    private static AttributePrediction Regression(string head, float value, string? unit) => new()
    {
        Head = head,
        Kind = HeadKind.Regression,
        Value = value,
        Unit = unit,
    };
}
