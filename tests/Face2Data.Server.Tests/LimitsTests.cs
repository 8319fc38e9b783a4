using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Face2Data.Server.Tests;

/// <summary>Queue, timeout, rate limit, API key and CORS.</summary>
public sealed class LimitsTests
{
    [Theory]
    [InlineData("/v1/analyze")]
    [InlineData("/v1/analyze/batch")]
    [InlineData("/v1/explain")]
    [InlineData("/predict")]
    public async Task A_full_queue_answers_429_queue_full_with_retry_after(string path)
    {
        await using var factory = new ServerFactory(new Dictionary<string, string?>
        {
            ["Server:MaxConcurrentInferences"] = "1",
            ["Server:QueueLimit"] = "0",
        });
        using var client = factory.CreateClient();
        var queue = factory.Services.GetRequiredService<InferenceQueue>();
        using var held = await queue.TryEnterAsync(CancellationToken.None);

        using var response = await client.PostAsync(path, Upload.Multipart(TestImages.FaceJpeg()));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.TooManyRequests, "queue-full");
        Assert.Equal("1", response.Headers.RetryAfter?.ToString());
        Assert.Equal("All 1 inference slots are busy and 0 requests are already waiting; retry in 1 s.", problem.GetProperty("detail").GetString());

        // The refusal comes before the upload is read: text, which would be a 415 or 422 once checked, is refused too.
        using var text = await client.PostAsync(path, Upload.Multipart(TestImages.Text(), contentType: "text/plain"));
        await Problem.AssertAsync(text, HttpStatusCode.TooManyRequests, "queue-full");
        Assert.Equal("1", text.Headers.RetryAfter?.ToString());
    }

    [Fact]
    public async Task A_request_still_waiting_at_the_timeout_answers_504_timeout()
    {
        await using var factory = new ServerFactory(new Dictionary<string, string?>
        {
            ["Server:MaxConcurrentInferences"] = "1",
            ["Server:QueueLimit"] = "4",
            ["Server:RequestTimeoutSeconds"] = "1",
        });
        using var client = factory.CreateClient();
        var queue = factory.Services.GetRequiredService<InferenceQueue>();
        using var held = await queue.TryEnterAsync(CancellationToken.None);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        using var response = await client.PostAsync("/v1/analyze", Upload.Multipart(TestImages.FaceJpeg()));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.GatewayTimeout, "timeout");
        Assert.Equal("The request took longer than the 1 s the server allows.", problem.GetProperty("detail").GetString());
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 10);
        Assert.Equal(0, queue.Waiting);
    }

    [Fact]
    public async Task The_rate_limit_answers_429_rate_limited_past_the_permits_and_spares_health()
    {
        await using var factory = new ServerFactory(new Dictionary<string, string?>
        {
            ["Server:RateLimit:Enabled"] = "true",
            ["Server:RateLimit:PermitLimit"] = "2",
            ["Server:RateLimit:WindowSeconds"] = "60",
        });
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("/v1/model");
            statuses.Add(response.StatusCode);
            if (i == 2)
            {
                await Problem.AssertAsync(response, HttpStatusCode.TooManyRequests, "rate-limited");
                Assert.InRange(int.Parse(response.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
            }
        }

        using var health = await client.GetAsync("/health/ready");
        using var metrics = await client.GetAsync("/metrics");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    [Fact]
    public async Task By_default_one_client_is_never_rate_limited()
    {
        // No RateLimit setting at all (the test factory's own "off" is removed): the server's default applies.
        await using var factory = new ServerFactory(new Dictionary<string, string?> { ["Server:RateLimit:Enabled"] = null });
        using var client = factory.CreateClient();

        var statuses = await GetModelAsync(client, 150);

        // 150 is past the 120 a minute the limit allowed when it was on by default.
        Assert.Equal(150, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.False(factory.Services.GetRequiredService<IOptions<ServerOptions>>().Value.RateLimit.Enabled);
    }

    [Fact]
    public async Task A_rate_limit_turned_on_allows_120_requests_a_minute_per_client()
    {
        await using var factory = new ServerFactory(new Dictionary<string, string?> { ["Server:RateLimit:Enabled"] = "true" });
        using var client = factory.CreateClient();

        var statuses = await GetModelAsync(client, 121);

        Assert.Equal(120, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task A_disabled_rate_limit_lets_every_request_through()
    {
        await using var factory = new ServerFactory(new Dictionary<string, string?>
        {
            ["Server:RateLimit:Enabled"] = "false",
            ["Server:RateLimit:PermitLimit"] = "1",
        });
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync("/v1/model");
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task An_api_key_guards_the_api_but_not_health_metrics_or_pages()
    {
        await using var factory = new ServerFactory(new Dictionary<string, string?> { ["Server:ApiKey"] = "s3cret-key" });
        using var client = factory.CreateClient();

        using var none = await client.PostAsync("/v1/analyze", Upload.Multipart(TestImages.FaceJpeg()));
        using var wrong = await Send(client, "/v1/model", "s3cret-kez");
        using var right = await Send(client, "/v1/model", "s3cret-key");
        using var legacy = await client.PostAsync("/predict", Upload.Multipart(TestImages.FaceJpeg()));

        var missingProblem = await Problem.AssertAsync(none, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("Send the API key in the X-Api-Key header.", missingProblem.GetProperty("detail").GetString());
        var wrongProblem = await Problem.AssertAsync(wrong, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("The X-Api-Key header does not hold a valid key.", wrongProblem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        await Problem.AssertAsync(legacy, HttpStatusCode.Unauthorized, "unauthorized");
        foreach (var open in new[] { "/health/live", "/health/ready", "/metrics", "/", "/app.js", "/openapi/v1.json" })
        {
            using var response = await client.GetAsync(open);
            Assert.True(response.StatusCode == HttpStatusCode.OK, open);
        }
    }

    [Fact]
    public async Task Cors_allows_only_the_configured_origins()
    {
        await using var factory = new ServerFactory(new Dictionary<string, string?> { ["Server:CorsOrigins:0"] = "https://app.example.org" });
        using var client = factory.CreateClient();

        using var allowed = await Preflight(client, "https://app.example.org");
        using var other = await Preflight(client, "https://evil.example.com");

        Assert.Equal("https://app.example.org", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Without_configured_origins_no_cors_headers_are_sent()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();

        using var response = await Preflight(client, "https://app.example.org");

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task The_server_never_fetches_a_url_given_instead_of_an_image()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();

        using var asField = await client.PostAsync("/v1/analyze", new MultipartFormDataContent { { new StringContent("http://127.0.0.1:1/face.jpg"), "image" } });

        var problem = await Problem.AssertAsync(asField, HttpStatusCode.UnprocessableEntity, "not-an-image");
        Assert.DoesNotContain("127.0.0.1", problem.GetProperty("detail").GetString());
    }

    private static async Task<List<HttpStatusCode>> GetModelAsync(HttpClient client, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync("/v1/model");
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", key);
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> Preflight(HttpClient client, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/analyze");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return await client.SendAsync(request);
    }
}
