using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenCvSharp;

namespace Face2Data.Server.Tests.Endpoints;

public sealed class MetricsEndpointsTests
{
    [Fact]
    public async Task Metrics_count_requests_by_route_and_status_and_record_inference_and_faces()
    {
        await using var factory = ServerFactory.WithSquareDetector();
        using var client = factory.CreateClient();
        using var twoFaces = TestImages.Squares(300, 200, new Rect(10, 10, 50, 50), new Rect(100, 50, 90, 90));
        (await client.PostAsync("/v1/analyze", Upload.Multipart(TestImages.Png(twoFaces)))).Dispose();
        (await client.PostAsync("/v1/analyze?detect=never", Upload.Multipart(TestImages.FaceJpeg()))).Dispose();
        (await client.PostAsync("/v1/analyze", Upload.Raw(TestImages.Text(), "text/plain"))).Dispose();
        (await client.GetAsync("/no/such/page")).Dispose();

        using var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        var lines = text.Split('\n');

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("""face2data_http_requests_total{route="/v1/analyze",method="POST",status="200"} 2""", lines);
        Assert.Contains("""face2data_http_requests_total{route="/v1/analyze",method="POST",status="415"} 1""", lines);
        Assert.Contains("""face2data_http_requests_total{route="unmatched",method="GET",status="404"} 1""", lines);
        Assert.Contains("""face2data_http_request_duration_seconds_count{route="/v1/analyze"} 3""", lines);
        Assert.Contains("""face2data_http_request_duration_seconds_bucket{route="/v1/analyze",le="+Inf"} 3""", lines);
        Assert.Contains("face2data_inference_duration_seconds_count 2", lines);
        Assert.Contains("face2data_faces_per_image_sum 3", lines);
        Assert.Contains("""face2data_faces_per_image_bucket{le="1"} 1""", lines);
        Assert.Contains("""face2data_faces_per_image_bucket{le="2"} 2""", lines);
        Assert.Contains("face2data_inference_queue_depth 0", lines);
        // The limit follows the measured inference time; no request runs after the scrape, so it holds still.
        Assert.Contains($"face2data_inference_queue_limit {factory.Services.GetRequiredService<InferenceQueue>().Limit}", lines);
        Assert.Contains("face2data_inferences_in_flight 0", lines);
        Assert.Contains("# TYPE face2data_http_request_duration_seconds histogram", lines);
    }
}
