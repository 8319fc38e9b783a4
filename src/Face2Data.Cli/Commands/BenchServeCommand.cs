using System.CommandLine;
using System.CommandLine.Parsing;
using Face2Data.Server;
using Face2Data.Cli.LoadTesting;
using Microsoft.AspNetCore.Builder;
using Spectre.Console;

namespace Face2Data.Cli.Commands;

/// <summary>
/// <c>face2data bench serve</c>: an HTTP load test of <c>POST /v1/analyze</c>. Targets a running server (loopback
/// only unless <c>--allow-remote</c>), or starts one in this process with <c>--in-process</c>; prints per concurrency
/// level the goodput (successful requests per second), the 429s per second, other failures and the p50/p95/p99 latency
/// of the successful requests.
/// </summary>
internal static class BenchServeCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Server to load: base URL (the path defaults to /v1/analyze) or a full analyze URL", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var image = new Option<FileInfo>("--image") { Description = "Image posted with every request (raw body)", Required = true };
        var concurrency = new Option<string>("--concurrency") { Description = "Comma-separated concurrency levels, run in order", DefaultValueFactory = _ => "1,4,16" };
        var duration = DurationOption("--duration", "Longest each level runs: 20s, 500ms, 2m", TimeSpan.FromSeconds(20));
        var warmup = DurationOption("--warmup", "Warm-up before the first level, not counted", TimeSpan.FromSeconds(2));
        var requests = new Option<int?>("--requests") { Description = "Most requests per level (the level ends at whichever comes first)" };
        var query = new Option<string?>("--query") { Description = "Query string for each request, e.g. detect=never or max_faces=1" };
        var format = new Option<string>("--format") { Description = "table or json (json goes to stdout, progress to stderr)", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Allow a target that is not this machine (never point a load test at a server you do not run)" };
        var inProcess = new Option<bool>("--in-process") { Description = "Start the server in this process on a free loopback port; --Server:Key=Value tokens configure it" };
        var model = new Option<string?>("--model") { Description = "With --in-process: the .onnx model (default: the bundled model)" };

        var command = new Command("serve", "HTTP load test of POST /v1/analyze: latency percentiles, requests/s and errors per concurrency level.")
        {
            url, image, concurrency, duration, warmup, requests, query, format, allowRemote, inProcess, model,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(image)!;
            if (!file.Exists)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]No image at '{file.FullName}'.[/]");
                return 2;
            }

            if (!TryParseLevels(parse.GetValue(concurrency)!, out var levels))
            {
                AnsiConsole.MarkupLineInterpolated($"[red]--concurrency must be comma-separated whole numbers, such as 1,4,16.[/]");
                return 2;
            }

            WebApplication? server = null;
            try
            {
                var baseUrl = parse.GetValue(url)!;
                if (parse.GetValue(inProcess))
                {
                    server = await StartServerAsync(parse.GetValue(model), parse.UnmatchedTokens, cancellationToken);
                    baseUrl = server.Urls.First();
                    Console.Error.WriteLine($"in-process server at {baseUrl}");
                }
                else if (parse.UnmatchedTokens.Count > 0)
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]Unknown arguments: {string.Join(' ', parse.UnmatchedTokens)} (--Server:… settings apply with --in-process only).[/]");
                    return 2;
                }

                var options = new LoadTestOptions
                {
                    Target = TargetUri(baseUrl, parse.GetValue(query)),
                    Image = await File.ReadAllBytesAsync(file.FullName, cancellationToken),
                    ContentType = ContentType(file.Extension),
                    Concurrency = levels,
                    Duration = parse.GetValue(duration),
                    Warmup = parse.GetValue(warmup),
                    Requests = parse.GetValue(requests),
                    AllowRemote = parse.GetValue(allowRemote),
                };
                using var generator = new LoadGenerator(options);
                var results = await generator.RunAsync(new Progress<string>(Console.Error.WriteLine), cancellationToken);
                var report = new LoadTestReport(options.Target.ToString(), options.Image.Length, options.Duration.TotalSeconds, options.Requests, results);
                if (parse.GetValue(format) == "json")
                {
                    Console.WriteLine(report.ToJson());
                }
                else
                {
                    Print(report);
                }

                // A 429 is load shed as the server was asked to, not a failure.
                return results.Any(r => r.Errors > r.Statuses.GetValueOrDefault(429)) ? 1 : 0;
            }
            catch (Exception ex) when (ex is ArgumentException or UriFormatException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{ex.Message}[/]");
                return 2;
            }
            finally
            {
                if (server is not null)
                {
                    await server.StopAsync(CancellationToken.None);
                    await server.DisposeAsync();
                }
            }
        });
        return command;
    }

    private static Option<TimeSpan> DurationOption(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (Durations.Parse(text) is { } value)
            {
                return value;
            }

            result.AddError($"{name} takes a duration such as 20s, 500ms or 2m, not '{text}'.");
            return defaultValue;
        },
    };

    private static bool TryParseLevels(string text, out int[] levels)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        levels = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], out levels[i]))
            {
                return false;
            }
        }

        return parts.Length > 0;
    }

    private static Uri TargetUri(string baseUrl, string? query)
    {
        var builder = new UriBuilder(baseUrl);
        if (builder.Path is "" or "/")
        {
            builder.Path = "/v1/analyze";
        }

        if (!string.IsNullOrEmpty(query))
        {
            builder.Query = query.TrimStart('?');
        }

        return builder.Uri;
    }

    private static string ContentType(string extension) => extension.ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".gif" => "image/gif",
        ".bmp" => "image/bmp",
        ".webp" => "image/webp",
        ".tif" or ".tiff" => "image/tiff",
        _ => "image/jpeg",
    };

    private static async Task<WebApplication> StartServerAsync(string? model, IReadOnlyList<string> settings, CancellationToken cancellationToken)
    {
        string[] args = ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", .. settings];
        var app = Face2DataServer.Build(args, options => options.ModelPath = model ?? options.ModelPath);
        await app.StartAsync(cancellationToken);
        return app;
    }

    private static void Print(LoadTestReport report)
    {
        // Narrow headers and one decimal, so the table fits 80 columns when the output is not a terminal.
        var table = new Table().AddColumns("conc.", "requests", "ok/s", "429/s", "p50", "p95", "p99", "max", "failed");
        foreach (var level in report.Levels)
        {
            var failed = level.Statuses.Where(s => s.Key is (< 200 or > 299) and not 429).ToList();
            table.AddRow(
                $"{level.Concurrency}", $"{level.Requests}", $"{level.GoodputPerSecond:F1}", $"{level.RejectedPerSecond:F1}",
                $"{level.P50Ms:F1}", $"{level.P95Ms:F1}", $"{level.P99Ms:F1}", $"{level.MaxMs:F1}",
                failed.Count == 0 ? "0" : $"[red]{string.Join(", ", failed.Select(s => s.Key == 0 ? $"none×{s.Value}" : $"{s.Key}×{s.Value}"))}[/]");
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"[grey]ok/s: successful (2xx) requests per second; failed: responses neither 2xx nor 429, by status. Latencies in ms, of the 2xx responses. {report.Target}, {report.ImageBytes:N0}-byte image, levels of up to {report.DurationSeconds:0.#} s{(report.MaxRequests is { } n ? $" or {n} requests" : "")}, {Environment.ProcessorCount} cores.[/]");
        if (report.Levels.Any(l => l.Statuses.ContainsKey(429)))
        {
            AnsiConsole.MarkupLine("[yellow]429 responses: the server's queue was full (it sheds what it cannot serve in time), or its per-client rate limit, when turned on, was used up.[/]");
        }
    }
}
