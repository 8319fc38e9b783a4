using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;

namespace Face2Data.Cli.LoadTesting;

/// <summary>
/// An HTTP load generator for the analyze endpoint: for each concurrency level, that many clients post the same image
/// back to back over kept-alive connections until the level's duration or request count is reached, and the
/// latencies, statuses and throughput are summarised. Each level is bounded in time and count; the target must be
/// this machine unless <see cref="LoadTestOptions.AllowRemote"/> is set.
/// </summary>
internal sealed class LoadGenerator : IDisposable
{
    private readonly LoadTestOptions _options;
    private readonly HttpClient _client;

    /// <summary>Checks the options and prepares a connection pool large enough for the highest level.</summary>
    /// <exception cref="ArgumentException">An option is out of range or the target is not allowed.</exception>
    public LoadGenerator(LoadTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency.Max(),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            AllowAutoRedirect = false,
        };
        _client = new HttpClient(handler) { Timeout = options.RequestTimeout };
    }

    /// <summary>Runs the warm-up, then every level in order.</summary>
    /// <param name="progress">Told when each level starts; optional.</param>
    /// <param name="cancellationToken">Stops the test; levels finished so far are not returned.</param>
    public async Task<IReadOnlyList<LoadLevelResult>> RunAsync(IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        if (_options.Warmup > TimeSpan.Zero)
        {
            progress?.Report($"warm-up: {_options.Warmup.TotalSeconds:0.#} s at concurrency {_options.Concurrency[0]}");
            await RunLevelAsync(_options.Concurrency[0], _options.Warmup, null, cancellationToken).ConfigureAwait(false);
        }

        var results = new List<LoadLevelResult>();
        foreach (var concurrency in _options.Concurrency)
        {
            progress?.Report($"concurrency {concurrency}: up to {_options.Duration.TotalSeconds:0.#} s{(_options.Requests is { } n ? $" or {n} requests" : "")}");
            results.Add(await RunLevelAsync(concurrency, _options.Duration, _options.Requests, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private async Task<LoadLevelResult> RunLevelAsync(int concurrency, TimeSpan duration, int? maxRequests, CancellationToken cancellationToken)
    {
        var latencies = new ConcurrentBag<double>();
        var statuses = new ConcurrentDictionary<int, int>();
        var started = 0;
        var clock = Stopwatch.StartNew();
        // When the time is up no client starts another request; those in flight finish and count, so the server
        // never sees requests aborted by the generator.
        var clients = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration && (maxRequests is not { } max || Interlocked.Increment(ref started) <= max))
            {
                var (status, milliseconds) = await SendAsync(cancellationToken).ConfigureAwait(false);
                statuses.AddOrUpdate(status, 1, (_, count) => count + 1);
                if (status is >= 200 and <= 299)
                {
                    latencies.Add(milliseconds);
                }
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(clients).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        cancellationToken.ThrowIfCancellationRequested();
        return LatencyStatistics.Summarize(concurrency, latencies, statuses, elapsed);
    }

    // The status, or 0 when no response came (refused, reset, timed out).
    private async Task<(int Status, double Milliseconds)> SendAsync(CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var content = new ReadOnlyMemoryContent(_options.Image);
            content.Headers.ContentType = new MediaTypeHeaderValue(_options.ContentType);
            using var response = await _client.PostAsync(_options.Target, content, cancellationToken).ConfigureAwait(false);
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            return ((int)response.StatusCode, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        catch (Exception ex) when ((ex is HttpRequestException or TaskCanceledException or IOException) && !cancellationToken.IsCancellationRequested)
        {
            return (0, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }
}
