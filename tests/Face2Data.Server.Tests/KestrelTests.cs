using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Face2Data.Server.Tests;

/// <summary>The real server on a loopback port: concurrent clients, memory over repeated requests, graceful shutdown.</summary>
public sealed class KestrelTests
{
    private const int Clients = 8;
    private const int RequestsPerClient = 12;

    [Fact]
    public async Task Concurrent_clients_get_only_successes_and_memory_does_not_grow_over_repeated_rounds()
    {
        await using var server = await KestrelServer.StartAsync(o =>
        {
            o.MaxConcurrentInferences = 2;
            o.QueueLimit = Clients;
        });
        using var client = server.CreateClient();
        var image = TestImages.FaceJpeg(640, 480);
        var clock = Stopwatch.StartNew();

        // Two warm-up rounds fill the pools (threads, buffers, ONNX Runtime arenas); later rounds must not add to them.
        var statuses = new ConcurrentBag<HttpStatusCode>();
        for (var round = 0; round < 2; round++)
        {
            await RoundAsync(client, image, statuses);
        }

        var (managedBefore, residentBefore) = Memory();
        for (var round = 0; round < 3; round++)
        {
            await RoundAsync(client, image, statuses);
        }

        var (managedAfter, residentAfter) = Memory();

        Assert.Equal(5 * Clients * RequestsPerClient, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        // A leaked decoded frame (640×480×3 = 0.9 MB) per request would add ~260 MB over the measured rounds.
        Assert.True(managedAfter - managedBefore < 8 << 20, $"managed heap grew by {(managedAfter - managedBefore) >> 10} KiB");
        Assert.True(residentAfter - residentBefore < 64 << 20, $"resident memory grew by {(residentAfter - residentBefore) >> 20} MiB");
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains($"face2data_http_requests_total{{route=\"/v1/analyze\",method=\"POST\",status=\"200\"}} {5 * Clients * RequestsPerClient}", metrics);
    }

    [Fact]
    public async Task Sixty_four_concurrent_clients_get_only_200s_and_429s_with_retry_after_and_the_server_stays_ready()
    {
        const int clients = 64;
        const int queueLimit = 8;
        await using var server = await KestrelServer.StartAsync(o =>
        {
            o.MaxConcurrentInferences = 1;
            o.QueueLimit = queueLimit;
        });
        using var client = server.CreateClient();
        var queue = server.App.Services.GetRequiredService<InferenceQueue>();
        var image = TestImages.FaceJpeg();

        // The one slot is taken: the queue fills with 8 and the 56 others are refused at once.
        var held = await queue.TryEnterAsync(CancellationToken.None);
        var wave = Enumerable.Range(0, clients).Select(_ => PostAsync(client, image)).ToList();
        await WaitUntil(() => queue.Waiting == queueLimit && wave.Count(t => t.IsCompleted) == clients - queueLimit);
        held!.Dispose();
        var first = await Task.WhenAll(wave);

        // Then 64 clients back to back against the free server, 4 requests each.
        var second = await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            var outcomes = new List<(HttpStatusCode Status, string? RetryAfter, string? Type)>();
            for (var i = 0; i < 4; i++)
            {
                outcomes.Add(await PostAsync(client, image));
            }

            return outcomes;
        }));
        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(queueLimit, first.Count(r => r.Status == HttpStatusCode.OK));
        Assert.Equal(clients - queueLimit, first.Count(r => r.Status == HttpStatusCode.TooManyRequests));
        var all = first.Concat(second.SelectMany(r => r)).ToList();
        Assert.Equal(clients * 5, all.Count);
        Assert.All(all, r => Assert.Contains(r.Status, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.All(all.Where(r => r.Status == HttpStatusCode.TooManyRequests), r => Assert.Equal(("1", ProblemKind.QueueFull.Type), (r.RetryAfter, r.Type)));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal((0, 0), (queue.Running, queue.Waiting));
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains($"face2data_http_requests_total{{route=\"/v1/analyze\",method=\"POST\",status=\"429\"}} {all.Count(r => r.Status == HttpStatusCode.TooManyRequests)}", metrics);
    }

    [Fact]
    public async Task Stopping_waits_for_requests_in_flight_to_finish()
    {
        await using var server = await KestrelServer.StartAsync(o =>
        {
            o.MaxConcurrentInferences = 1;
            o.QueueLimit = 4;
        });
        using var client = server.CreateClient();
        var queue = server.App.Services.GetRequiredService<InferenceQueue>();
        var held = await queue.TryEnterAsync(CancellationToken.None);
        var inFlight = client.PostAsync("/v1/analyze", Upload.Multipart(TestImages.FaceJpeg()));
        await WaitUntil(() => queue.Waiting == 1);

        var stopping = server.App.StopAsync();
        await Task.Delay(300);
        var stillRunning = !inFlight.IsCompleted && !stopping.IsCompleted;
        var ready = server.App.Services.GetRequiredService<ModelHost>().IsReady;
        held!.Dispose();
        using var response = await inFlight;
        await stopping;

        Assert.True(stillRunning);
        Assert.False(ready);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"faces\"", await response.Content.ReadAsStringAsync());
    }

    private static async Task<(HttpStatusCode Status, string? RetryAfter, string? Type)> PostAsync(HttpClient client, byte[] image)
    {
        using var response = await client.PostAsync("/v1/analyze", Upload.Raw(image));
        var body = await response.Content.ReadAsStringAsync();
        var type = response.StatusCode == HttpStatusCode.OK ? null : JsonDocument.Parse(body).RootElement.GetProperty("type").GetString();
        return (response.StatusCode, response.Headers.RetryAfter?.ToString(), type);
    }

    private static async Task RoundAsync(HttpClient client, byte[] image, ConcurrentBag<HttpStatusCode> statuses)
    {
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            for (var i = 0; i < RequestsPerClient; i++)
            {
                using var response = await client.PostAsync("/v1/analyze", Upload.Multipart(image));
                await response.Content.ReadAsByteArrayAsync();
                statuses.Add(response.StatusCode);
            }
        }));
    }

    private static (long Managed, long Resident) Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "timed out waiting");
            await Task.Delay(10);
        }
    }
}
