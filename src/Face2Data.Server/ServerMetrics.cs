using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Face2Data.Server;

/// <summary>
/// The server's measurements in the Prometheus text format (version 0.0.4): requests by route, method and status,
/// request latency by route, inference time, faces per image, and the inference queue's depth. One instance per
/// server (a singleton service), so tests and several servers in one process never share counts.
/// </summary>
internal sealed class ServerMetrics
{
    /// <summary>Latency buckets in seconds.</summary>
    public static IReadOnlyList<double> SecondsBuckets { get; } = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Faces-per-image buckets.</summary>
    public static IReadOnlyList<double> FaceBuckets { get; } = [0, 1, 2, 3, 5, 10, 20, 50];

    private readonly ConcurrentDictionary<(string Route, string Method, int Status), StrongBox> _requests = new();
    private readonly ConcurrentDictionary<string, MetricHistogram> _latency = new(StringComparer.Ordinal);
    private readonly MetricHistogram _inference = new(SecondsBuckets);
    private readonly MetricHistogram _faces = new(FaceBuckets);
    private readonly InferenceQueue _queue;

    /// <summary>Creates the metrics; the queue's depth is read when they are written.</summary>
    public ServerMetrics(InferenceQueue queue)
    {
        _queue = queue;
    }

    /// <summary>Records one finished HTTP request.</summary>
    /// <param name="route">The endpoint's route pattern, or a fixed name for requests no endpoint handled.</param>
    /// <param name="method">HTTP method.</param>
    /// <param name="status">Response status code.</param>
    /// <param name="seconds">Time from the request's arrival to its response.</param>
    public void RecordRequest(string route, string method, int status, double seconds)
    {
        var counter = _requests.GetOrAdd((route, method, status), _ => new StrongBox());
        Interlocked.Increment(ref counter.Value);
        _latency.GetOrAdd(route, _ => new MetricHistogram(SecondsBuckets)).Observe(seconds);
    }

    /// <summary>Records one image's analysis: decode, detection and model time, and the faces found.</summary>
    public void RecordInference(double seconds, int faces)
    {
        _inference.Observe(seconds);
        _faces.Observe(faces);
    }

    /// <summary>Requests counted so far for a route, method and status.</summary>
    public long RequestCount(string route, string method, int status) =>
        _requests.TryGetValue((route, method, status), out var counter) ? Interlocked.Read(ref counter.Value) : 0;

    /// <summary>All metrics in the Prometheus text exposition format.</summary>
    public string ToPrometheusText()
    {
        var text = new StringBuilder();
        Header(text, "face2data_http_requests_total", "counter", "HTTP requests by route, method and status.");
        foreach (var ((route, method, status), counter) in _requests.OrderBy(r => r.Key.Route, StringComparer.Ordinal).ThenBy(r => r.Key.Method, StringComparer.Ordinal).ThenBy(r => r.Key.Status))
        {
            text.Append(CultureInfo.InvariantCulture, $"face2data_http_requests_total{{route=\"{Escape(route)}\",method=\"{Escape(method)}\",status=\"{status}\"}} {Interlocked.Read(ref counter.Value)}\n");
        }

        Header(text, "face2data_http_request_duration_seconds", "histogram", "HTTP request latency by route.");
        foreach (var (route, histogram) in _latency.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            WriteHistogram(text, "face2data_http_request_duration_seconds", $"route=\"{Escape(route)}\"", histogram);
        }

        Header(text, "face2data_inference_duration_seconds", "histogram", "Decode, detection and model time per image.");
        WriteHistogram(text, "face2data_inference_duration_seconds", "", _inference);
        Header(text, "face2data_faces_per_image", "histogram", "Faces analysed per image.");
        WriteHistogram(text, "face2data_faces_per_image", "", _faces);
        Header(text, "face2data_inference_queue_depth", "gauge", "Requests waiting for an inference slot.");
        text.Append(CultureInfo.InvariantCulture, $"face2data_inference_queue_depth {_queue.Waiting}\n");
        Header(text, "face2data_inferences_in_flight", "gauge", "Inferences running now.");
        text.Append(CultureInfo.InvariantCulture, $"face2data_inferences_in_flight {_queue.Running}\n");
        Header(text, "face2data_inference_queue_limit", "gauge", "Requests the queue takes now: QueueLimit, lowered to what the slots serve within MaxQueueWaitMs.");
        text.Append(CultureInfo.InvariantCulture, $"face2data_inference_queue_limit {_queue.Limit}\n");
        return text.ToString();
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");

    private static void WriteHistogram(StringBuilder text, string name, string labels, MetricHistogram histogram)
    {
        var separator = labels.Length > 0 ? "," : "";
        var cumulative = histogram.CumulativeCounts();
        for (var i = 0; i < cumulative.Length; i++)
        {
            var bound = i < histogram.Bounds.Count ? Number(histogram.Bounds[i]) : "+Inf";
            text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels}{separator}le=\"{bound}\"}} {cumulative[i]}\n");
        }

        var braces = labels.Length > 0 ? $"{{{labels}}}" : "";
        text.Append(CultureInfo.InvariantCulture, $"{name}_sum{braces} {Number(histogram.Sum)}\n");
        text.Append(CultureInfo.InvariantCulture, $"{name}_count{braces} {cumulative[^1]}\n");
    }

    private static string Number(double value) => value.ToString("G", CultureInfo.InvariantCulture);

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    private sealed class StrongBox
    {
        public long Value;
    }
}
