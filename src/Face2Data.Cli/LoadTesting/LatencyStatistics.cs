using Microsoft.AspNetCore.Http;

namespace Face2Data.Cli.LoadTesting;

/// <summary>Order statistics of a set of latencies.</summary>
internal static class LatencyStatistics
{
    /// <summary>
    /// The <paramref name="percentile"/> (0 to 100) of values sorted ascending, by linear interpolation between the
    /// closest ranks (the usual definition of spreadsheets and NumPy): rank = p/100 × (n − 1). NaN for no values.
    /// </summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percentile)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = percentile / 100 * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + ((rank - low) * (sorted[high] - sorted[low]));
    }

    /// <summary>Summarises one level's measurements.</summary>
    /// <param name="concurrency">Clients of the level.</param>
    /// <param name="latenciesMs">Milliseconds of each successful (2xx) request, in any order.</param>
    /// <param name="statuses">Responses per HTTP status; 0 counts requests that got no response (refused, timed out).</param>
    /// <param name="elapsed">How long the level ran.</param>
    public static LoadLevelResult Summarize(int concurrency, IEnumerable<double> latenciesMs, IReadOnlyDictionary<int, int> statuses, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(latenciesMs);
        ArgumentNullException.ThrowIfNull(statuses);
        var sorted = latenciesMs.Order().ToArray();
        var requests = statuses.Values.Sum();
        var errors = statuses.Where(s => s.Key is < 200 or > 299).Sum(s => s.Value);
        var rejected = statuses.GetValueOrDefault(StatusCodes.Status429TooManyRequests);
        var seconds = elapsed.TotalSeconds;
        return new LoadLevelResult(
            concurrency,
            requests,
            errors,
            new SortedDictionary<int, int>(statuses.ToDictionary()),
            seconds,
            seconds > 0 ? requests / seconds : 0,
            seconds > 0 ? (requests - errors) / seconds : 0,
            seconds > 0 ? rejected / seconds : 0,
            Percentile(sorted, 50),
            Percentile(sorted, 95),
            Percentile(sorted, 99),
            sorted.Length > 0 ? sorted.Average() : double.NaN,
            sorted.Length > 0 ? sorted[^1] : double.NaN);
    }
}
