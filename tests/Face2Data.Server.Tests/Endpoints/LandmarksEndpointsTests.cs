using System.Net.Http.Json;
using System.Text.Json;
using Face2Data.Detection;
using Microsoft.Extensions.DependencyInjection;
using OpenCvSharp;

namespace Face2Data.Server.Tests.Endpoints;

/// <summary>Landmarks in the API: the JSON of /v1/analyze, the switch that turns them off, and the OpenAPI schema.</summary>
public sealed class LandmarksEndpointsTests
{
    [Fact]
    public async Task Analyze_gives_each_detected_face_its_five_points_and_roll_in_image_pixels()
    {
        await using var factory = WithLandmarker(new Dictionary<string, string?>());
        using var client = factory.CreateClient();
        using var image = TestImages.Squares(640, 400, new Rect(300, 100, 150, 150));

        using var response = await client.PostAsync("/v1/analyze", Upload.Multipart(TestImages.Png(image)));

        var face = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faces").EnumerateArray().Single();
        var landmarks = face.GetProperty("landmarks");
        Assert.Equal(
            ["left_eye", "right_eye", "nose", "mouth_left", "mouth_right", "roll_degrees"],
            landmarks.EnumerateObject().Select(p => p.Name));
        Assert.Equal("""{"x":345,"y":160}""", landmarks.GetProperty("left_eye").GetRawText()); // 300 + 0.3 × 150, 100 + 0.4 × 150
        Assert.Equal("""{"x":397.5,"y":212.5}""", landmarks.GetProperty("mouth_right").GetRawText());
        Assert.Equal(0, landmarks.GetProperty("roll_degrees").GetDouble());
    }

    [Fact]
    public async Task With_landmarks_turned_off_the_faces_have_none()
    {
        await using var factory = WithLandmarker(new Dictionary<string, string?> { ["Server:Landmarks"] = "false" });
        using var client = factory.CreateClient();
        using var image = TestImages.Squares(640, 400, new Rect(300, 100, 150, 150));

        using var response = await client.PostAsync("/v1/analyze", Upload.Multipart(TestImages.Png(image)));

        var face = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faces").EnumerateArray().Single();
        Assert.False(face.TryGetProperty("landmarks", out _));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_landmarks_of_a_face()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();

        var schemas = (await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("components").GetProperty("schemas");

        Assert.True(schemas.GetProperty("FaceResponse").GetProperty("properties").TryGetProperty("landmarks", out _));
        var landmarks = schemas.GetProperty("LandmarksResponse").GetProperty("properties");
        Assert.Equal(
            ["left_eye", "right_eye", "nose", "mouth_left", "mouth_right", "roll_degrees"],
            landmarks.EnumerateObject().Select(p => p.Name));
    }

    private static ServerFactory WithLandmarker(Dictionary<string, string?> settings)
    {
        settings["Server:Detector"] = SquareDetector.Name;
        return new ServerFactory(settings, services =>
        {
            services.AddFaceDetector(SquareDetector.Name, _ => new SquareDetector());
            services.AddSingleton<IFaceLandmarker>(new FractionLandmarker());
        });
    }

    // Points at fixed fractions of the box: eyes (0.3, 0.4) and (0.7, 0.4), nose (0.5, 0.55), mouth (0.35 / 0.65, 0.75).
    private sealed class FractionLandmarker : IFaceLandmarker
    {
        public FaceLandmarks Locate(Mat bgr, FaceBox box)
        {
            FacePoint P(double x, double y) => new((float)(box.X + (x * box.Width)), (float)(box.Y + (y * box.Height)));
            return new FaceLandmarks(P(0.3, 0.4), P(0.7, 0.4), P(0.5, 0.55), P(0.35, 0.75), P(0.65, 0.75));
        }

        public void Dispose()
        {
        }
    }
}
