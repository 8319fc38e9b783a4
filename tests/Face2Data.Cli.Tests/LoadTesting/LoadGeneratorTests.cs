using Face2Data.Cli.LoadTesting;

namespace Face2Data.Cli.Tests.LoadTesting;

public sealed class LoadGeneratorTests
{
    [Fact]
    public async Task A_short_load_test_against_the_real_server_reports_every_level()
    {
        await using var server = await RealServer.StartAsync();
        var options = new LoadTestOptions
        {
            Target = new Uri(server.Address, "/v1/analyze"),
            Image = TestFiles.Jpeg(seed: 1, width: 64, height: 64),
            Concurrency = [1, 4],
            Duration = TimeSpan.FromSeconds(1),
            Warmup = TimeSpan.FromMilliseconds(200),
        };
        using var generator = new LoadGenerator(options);
        var progress = new List<string>();

        var results = await generator.RunAsync(new SyncProgress(progress));

        Assert.Equal([1, 4], results.Select(r => r.Concurrency));
        foreach (var level in results)
        {
            Assert.True(level.Requests > 0);
            Assert.Equal(0, level.Errors);
            Assert.Equal(level.Requests, level.Statuses[200]);
            Assert.InRange(level.Seconds, 0.9, 15); // one second, plus requests still in flight then
            Assert.Equal(level.Requests / level.Seconds, level.RequestsPerSecond, 1e-6);
            Assert.True(level.P50Ms > 0 && level.P50Ms <= level.P95Ms && level.P95Ms <= level.P99Ms && level.P99Ms <= level.MaxMs);
        }

        Assert.Equal(3, progress.Count);
        Assert.StartsWith("warm-up", progress[0]);
    }

    [Fact]
    public async Task A_level_stops_at_the_request_count_and_counts_refusals_as_errors()
    {
        // The server's own per-client limit: 5 requests, then 429s.
        await using var server = await RealServer.StartAsync(options =>
        {
            options.RateLimit.Enabled = true;
            options.RateLimit.PermitLimit = 5;
        });
        var options = new LoadTestOptions
        {
            Target = new Uri(server.Address, "/v1/analyze"),
            Image = TestFiles.Jpeg(seed: 1, width: 64, height: 64),
            Concurrency = [2],
            Duration = TimeSpan.FromSeconds(30),
            Requests = 12,
            Warmup = TimeSpan.Zero,
        };
        using var generator = new LoadGenerator(options);

        var level = Assert.Single(await generator.RunAsync());

        Assert.Equal(12, level.Requests);
        Assert.Equal(5, level.Statuses[200]);
        Assert.Equal(7, level.Statuses[429]);
        Assert.Equal(7, level.Errors);
        Assert.Equal(5 / level.Seconds, level.GoodputPerSecond, 1e-6);
        Assert.Equal(7 / level.Seconds, level.RejectedPerSecond, 1e-6);
        Assert.True(level.Seconds < 30);
    }

    [Fact]
    public async Task A_server_that_is_not_there_gives_errors_not_exceptions()
    {
        var options = new LoadTestOptions
        {
            Target = new Uri("http://127.0.0.1:9/v1/analyze"), // the discard port: nothing listens
            Image = TestFiles.Jpeg(seed: 1, width: 64, height: 64),
            Concurrency = [1],
            Duration = TimeSpan.FromSeconds(5),
            Requests = 3,
            Warmup = TimeSpan.Zero,
        };
        using var generator = new LoadGenerator(options);

        var level = Assert.Single(await generator.RunAsync());

        Assert.Equal((3, 3), (level.Requests, level.Errors));
        Assert.Equal(3, level.Statuses[0]);
    }

    [Fact]
    public void The_json_report_round_trips_in_snake_case()
    {
        var level = LatencyStatistics.Summarize(4, [1.5, 2.5], new Dictionary<int, int> { [200] = 2, [429] = 1 }, TimeSpan.FromSeconds(1));
        var report = new LoadTestReport("http://127.0.0.1:8080/v1/analyze", 7916, 20, null, [level]);

        var json = report.ToJson();
        var back = LoadTestReport.FromJson(json);

        Assert.Contains("\"requests_per_second\": 3", json);
        Assert.Contains("\"p99_ms\": 2.49", json);
        Assert.Contains("\"goodput_per_second\": 2,", json);
        Assert.Contains("\"rejected_per_second\": 1,", json);
        Assert.Equal(report.Target, back.Target);
        Assert.Equal(level.P95Ms, back.Levels[0].P95Ms);
        Assert.Equal(1, back.Levels[0].Statuses[429]);
    }

    private sealed class SyncProgress(List<string> messages) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (messages)
            {
                messages.Add(value);
            }
        }
    }
}
