using Face2Data.Detection;
using Face2Data.Imaging;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace Face2Data.Tests.Detection;

/// <summary>
/// The bundled 68-point landmark network (models/face_landmark_68.onnx): its output against face-api.js's own, and
/// its landmarks on real faces (London portraits and UTKFace crops from ../shared, read at test time, never stored).
/// </summary>
public sealed class FaceLandmark68LandmarkerTests(UtkFaceCrops faces) : IClassFixture<UtkFaceCrops>, IDisposable
{
    // face-api.js 1.7.15 (dist/face-api.esm.js, TensorFlow.js's cpu backend in Node) on Pattern: faceLandmark68Net's
    // runNet output, the 68 (x, y) as fractions of the input square.
    private static readonly float[] FaceApiOutput =
    [
        0.299278f, 0.524100f, 0.446125f, 0.585415f, 0.495703f, 0.579890f, 0.557838f, 0.634054f, 0.639131f, 0.582861f,
        0.650929f, 0.546233f, 0.713643f, 0.489002f, 0.677875f, 0.448581f, 0.689936f, 0.479084f, 0.635398f, 0.468506f,
        0.644660f, 0.462445f, 0.594789f, 0.483391f, 0.619696f, 0.444844f, 0.580692f, 0.513438f, 0.614719f, 0.417489f,
        0.725512f, 0.435183f, 0.590993f, 0.345652f, 0.400227f, 0.622233f, 0.444638f, 0.522956f, 0.434081f, 0.540617f,
        0.508249f, 0.495111f, 0.523440f, 0.527241f, 0.605882f, 0.454234f, 0.542863f, 0.543562f, 0.578218f, 0.545870f,
        0.651721f, 0.504037f, 0.700610f, 0.395094f, 0.580857f, 0.562978f, 0.595872f, 0.563995f, 0.547490f, 0.550332f,
        0.544660f, 0.555625f, 0.565027f, 0.540966f, 0.553194f, 0.532043f, 0.562975f, 0.532363f, 0.560315f, 0.525479f,
        0.563079f, 0.530331f, 0.487751f, 0.594884f, 0.502877f, 0.618434f, 0.517423f, 0.612283f, 0.540753f, 0.606971f,
        0.534752f, 0.626045f, 0.505391f, 0.616194f, 0.576456f, 0.564360f, 0.605947f, 0.553982f, 0.613403f, 0.528939f,
        0.548966f, 0.530906f, 0.565413f, 0.516649f, 0.559054f, 0.599419f, 0.661147f, 0.501924f, 0.657503f, 0.540685f,
        0.573423f, 0.524639f, 0.620088f, 0.493666f, 0.629389f, 0.486569f, 0.564176f, 0.445677f, 0.598479f, 0.460110f,
        0.592845f, 0.419268f, 0.657678f, 0.397612f, 0.686484f, 0.413885f, 0.703221f, 0.456530f, 0.697706f, 0.469712f,
        0.661796f, 0.529792f, 0.678462f, 0.525066f, 0.648225f, 0.500203f, 0.659878f, 0.480946f, 0.589909f, 0.441738f,
        0.614454f, 0.380572f, 0.645166f, 0.417790f, 0.670823f, 0.458113f
    ];

    private readonly FaceLandmark68Landmarker _landmarker = new(new FaceLandmark68LandmarkerOptions());

    private static string LondonFolder => Path.GetFullPath(Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "datasets", "london-faces", "images"));

    public void Dispose() => _landmarker.Dispose();

    [Fact]
    public void The_bundled_model_is_used_by_default()
    {
        Assert.Equal(Path.GetFullPath(FaceLandmark68LandmarkerOptions.BundledPath), _landmarker.ModelPath);
        Assert.True(File.Exists(_landmarker.ModelPath));
        // The shared defaults carry the default framing (a static initialised before it would hold null).
        Assert.Equal(FaceLandmark68LandmarkerOptions.DefaultFraming, FaceLandmark68LandmarkerOptions.Default.Framing);
        using var fromDefaults = new FaceLandmark68Landmarker(FaceLandmark68LandmarkerOptions.Default);
    }

    [Fact]
    public void The_bundled_model_gives_face_api_js_own_output()
    {
        const int Side = FaceLandmark68Landmarker.InputSize;
        var pixels = new float[3 * Side * Side];
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < Side; y++)
            {
                for (var x = 0; x < Side; x++)
                {
                    pixels[(((c * Side) + y) * Side) + x] = Pattern(x, y, c);
                }
            }
        }

        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(_landmarker.ModelPath, options);
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [1, 3, Side, Side]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [FaceLandmark68Landmarker.InputName], [input], [FaceLandmark68Landmarker.OutputName]);

        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(FaceApiOutput.Length, actual.Length);
        // The expected values are printed to 6 decimals; float rounding adds about 1e-6.
        var difference = FaceApiOutput.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(difference < 1e-5, $"max difference {difference}");
    }

    [Fact]
    public void ToFivePoints_takes_the_eye_means_the_nose_tip_and_the_mouth_corners()
    {
        var points = Enumerable.Range(0, 68).Select(i => new FacePoint(i, 1000 + i)).ToArray();

        var five = FaceLandmark68Landmarker.ToFivePoints(points);

        Assert.Equal(new FacePoint(38.5f, 1038.5f), five.LeftEye);
        Assert.Equal(new FacePoint(44.5f, 1044.5f), five.RightEye);
        Assert.Equal(new FacePoint(30, 1030), five.Nose);
        Assert.Equal(new FacePoint(48, 1048), five.MouthLeft);
        Assert.Equal(new FacePoint(54, 1054), five.MouthRight);
        Assert.Throws<ArgumentException>(() => FaceLandmark68Landmarker.ToFivePoints(points[..67]));
    }

    [Fact]
    public void Landmarks_on_London_portraits_lie_in_the_Haar_box_eyes_level_and_above_the_mouth()
    {
        using var haar = new HaarFaceDetector();
        foreach (var name in new[] { "001_neutral.jpg", "010_smiling.jpg", "025_neutral.jpg", "067_smiling.jpg", "119_neutral.jpg", "172_smiling.jpg" })
        {
            using var photo = Read(name);
            var box = Assert.Single(haar.Detect(photo), f => f.Box.Width > 100).Box;

            var points = _landmarker.Locate68(photo, box);
            var marks = _landmarker.Locate(photo, box);

            Assert.Equal(68, points.Count);
            Assert.All(marks.Points, p => Assert.True(Inside(p, box), $"{name}: {p} outside {box}"));
            // The Haar box often cuts the chin: the jaw line's points lie within a fifth of its side around it.
            var grown = new FaceBox(box.X - (box.Width / 5), box.Y - (box.Height / 5), box.Width * 7 / 5, box.Height * 7 / 5);
            Assert.All(points, p => Assert.True(Inside(p, grown), $"{name}: {p} outside {grown}"));
            Assert.True(marks.LeftEye.X < marks.Nose.X && marks.Nose.X < marks.RightEye.X, $"{name}: {marks}");
            Assert.True(Math.Max(marks.LeftEye.Y, marks.RightEye.Y) < marks.Nose.Y && marks.Nose.Y < Math.Min(marks.MouthLeft.Y, marks.MouthRight.Y), $"{name}: {marks}");
            Assert.True(marks.MouthLeft.X < marks.MouthRight.X, $"{name}: {marks}");
            Assert.InRange(marks.RollDegrees, -5, 5);
            // The eyes are a quarter to a half of the box apart.
            Assert.InRange((marks.RightEye.X - marks.LeftEye.X) / box.Width, 0.25, 0.5);
            SaveForPeople(photo, box, points, marks, name);
        }
    }

    [Theory]
    [InlineData(20)]
    [InlineData(-20)]
    [InlineData(35)]
    public void A_portrait_rotated_by_a_known_angle_gives_that_roll(double degrees)
    {
        using var haar = new HaarFaceDetector();
        using var photo = Read("001_neutral.jpg");
        var box = haar.Detect(photo)[0].Box;
        var upright = _landmarker.Locate(photo, box).RollDegrees;
        using var rotated = new Mat();
        // OpenCV turns a positive angle counter-clockwise as seen, which raises the image-right eye: roll −angle.
        using var rotation = Cv2.GetRotationMatrix2D(new Point2f(box.X + (box.Width / 2f), box.Y + (box.Height / 2f)), degrees, 1);
        Cv2.WarpAffine(photo, rotated, rotation, photo.Size(), InterpolationFlags.Linear, BorderTypes.Replicate);

        var roll = _landmarker.Locate(rotated, box).RollDegrees;

        Assert.InRange(roll - upright, -degrees - 3, -degrees + 3);
    }

    [Fact]
    public void UTKFace_crops_have_level_eyes_in_the_upper_half_and_the_mouth_below_the_nose()
    {
        foreach (var (crop, index) in faces.Crops.Select((c, i) => (c, i)))
        {
            var box = new FaceBox(0, 0, crop.Width, crop.Height);
            var marks = _landmarker.Locate(crop, box);
            if (index < 4)
            {
                SaveForPeople(crop, box, _landmarker.Locate68(crop, box), marks, $"utkface_{index}.png");
            }

            // UTKFace aligns its crops (measured with face2data-bench landmarks on 500 crops: roll p10–p90 about ±2°).
            Assert.InRange(marks.RollDegrees, -8, 8);
            Assert.InRange(marks.LeftEye.Y, 0.15 * crop.Height, 0.45 * crop.Height);
            Assert.InRange(marks.RightEye.Y, 0.15 * crop.Height, 0.45 * crop.Height);
            Assert.True(marks.LeftEye.X < crop.Width / 2f && marks.RightEye.X > crop.Width / 2f, $"{marks}");
            Assert.True(marks.Nose.Y < Math.Min(marks.MouthLeft.Y, marks.MouthRight.Y), $"{marks}");
        }
    }

    [Fact]
    public void Landmarks_follow_the_face_when_it_moves_in_the_image()
    {
        var crop = faces.Crops[0];
        using var first = Pasted(crop, 40, 30);
        using var second = Pasted(crop, 150, 80);

        var before = _landmarker.Locate(first, new FaceBox(40, 30, crop.Width, crop.Height));
        var after = _landmarker.Locate(second, new FaceBox(150, 80, crop.Width, crop.Height));

        Assert.All(before.Points.Zip(after.Points), pair =>
        {
            Assert.Equal(pair.First.X + 110, pair.Second.X, 0.01f);
            Assert.Equal(pair.First.Y + 50, pair.Second.Y, 0.01f);
        });
    }

    [Fact]
    public void Wrong_settings_images_and_boxes_are_refused()
    {
        Assert.Throws<FileNotFoundException>(() => new FaceLandmark68Landmarker(new FaceLandmark68LandmarkerOptions { ModelPath = "/nonexistent/landmarks.onnx" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FaceLandmark68Landmarker(new FaceLandmark68LandmarkerOptions { Framing = new CropGeometry { Scale = 0 } }));
        Assert.Throws<InvalidDataException>(() => new FaceLandmark68Landmarker(new FaceLandmark68LandmarkerOptions { ModelPath = TinyFaceDetectorOptions.BundledPath }));
        using var floats = new Mat(100, 100, MatType.CV_32FC3, Scalar.All(128));
        Assert.Throws<ArgumentException>(() => _landmarker.Locate(floats, new FaceBox(0, 0, 50, 50)));
        Assert.Throws<ArgumentException>(() => _landmarker.Locate(faces.Crops[0], new FaceBox(0, 0, 0, 50)));
        Assert.Throws<ArgumentException>(() => _landmarker.Locate(faces.Crops[0], new FaceBox(500, 500, 50, 50)));
    }

    [Fact]
    public void A_gray_image_gives_the_landmarks_of_its_BGR_copy()
    {
        using var gray = new Mat();
        using var bgr = new Mat();
        Cv2.CvtColor(faces.Crops[1], gray, ColorConversionCodes.BGR2GRAY);
        Cv2.CvtColor(gray, bgr, ColorConversionCodes.GRAY2BGR);
        var box = new FaceBox(0, 0, gray.Width, gray.Height);

        Assert.Equal(_landmarker.Locate(bgr, box), _landmarker.Locate(gray, box));
    }

    [Fact]
    public void Concurrent_calls_give_the_same_landmarks_as_one_at_a_time()
    {
        var box = new FaceBox(0, 0, 200, 200);
        var expected = faces.Crops.Select(c => _landmarker.Locate(c, box)).ToList();

        var actual = new FaceLandmarks[faces.Crops.Count];
        Parallel.For(0, faces.Crops.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => actual[i] = _landmarker.Locate(faces.Crops[i], box));

        Assert.Equal(expected, actual);
    }

    // The portrait with its box, 68 points (white) and five (red), under TestResults/landmarks for people to look at.
    private static void SaveForPeople(Mat photo, FaceBox box, IReadOnlyList<FacePoint> points, FaceLandmarks marks, string name)
    {
        using var drawn = photo.Clone();
        Cv2.Rectangle(drawn, new Rect(box.X, box.Y, box.Width, box.Height), Scalar.LimeGreen, 2);
        foreach (var p in points)
        {
            Cv2.Circle(drawn, new Point(p.X, p.Y), 2, Scalar.White, -1);
        }

        foreach (var p in marks.Points)
        {
            Cv2.Circle(drawn, new Point(p.X, p.Y), 4, Scalar.Red, -1);
        }

        Cv2.ImWrite(Path.Combine(TestPaths.Artifacts("landmarks"), Path.ChangeExtension(name, ".png")), drawn);
    }

    // A grey 400×400 canvas with the crop at (x, y); the framed square around it stays inside the canvas.
    private static Mat Pasted(Mat crop, int x, int y)
    {
        var canvas = new Mat(400, 400, MatType.CV_8UC3, UtkFaceCrops.Grey);
        using var target = new Mat(canvas, new Rect(x, y, crop.Width, crop.Height));
        crop.CopyTo(target);
        return canvas;
    }

    // The same deterministic pattern face-api.js was run on (RGB, 0 to 255).
    private static float Pattern(int x, int y, int c) => ((x * 7) + (y * 13) + (c * 50) + ((x * y) % 31)) % 256;

    private static bool Inside(FacePoint p, FaceBox box) => p.X >= box.X && p.X <= box.X + box.Width && p.Y >= box.Y && p.Y <= box.Y + box.Height;

    private static Mat Read(string name) => new ImageDecoder().Decode(File.ReadAllBytes(Path.Combine(LondonFolder, name)));
}
