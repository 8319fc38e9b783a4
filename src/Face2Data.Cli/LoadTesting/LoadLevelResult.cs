namespace Face2Data.Cli.LoadTesting;

/// <summary>One concurrency level of a load test. Latencies are of successful (2xx) requests only.</summary>
/// <param name="Concurrency">Clients sending back to back.</param>
/// <param name="Requests">Requests completed (any outcome).</param>
/// <param name="Errors">Requests that failed: no response, or a status outside 2xx.</param>
/// <param name="Statuses">Requests per HTTP status; 0 for no response.</param>
/// <param name="Seconds">How long the level ran.</param>
/// <param name="RequestsPerSecond">Requests completed per second, whatever their outcome.</param>
/// <param name="GoodputPerSecond">Successful (2xx) requests per second: the work the server did for its clients.</param>
/// <param name="RejectedPerSecond">Requests answered 429 (queue full or rate limited) per second.</param>
/// <param name="P50Ms">Median latency, ms.</param>
/// <param name="P95Ms">95th percentile latency, ms.</param>
/// <param name="P99Ms">99th percentile latency, ms.</param>
/// <param name="MeanMs">Mean latency, ms.</param>
/// <param name="MaxMs">Longest latency, ms.</param>
internal sealed record LoadLevelResult(
    int Concurrency,
    int Requests,
    int Errors,
    IReadOnlyDictionary<int, int> Statuses,
    double Seconds,
    double RequestsPerSecond,
    double GoodputPerSecond,
    double RejectedPerSecond,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double MeanMs,
    double MaxMs);
