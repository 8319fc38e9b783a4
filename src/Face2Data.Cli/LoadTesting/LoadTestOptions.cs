namespace Face2Data.Cli.LoadTesting;

/// <summary>What a <see cref="LoadGenerator"/> sends, to where, how hard and for how long.</summary>
internal sealed record LoadTestOptions
{
    /// <summary>Longest a level may last.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(10);

    /// <summary>Most concurrent clients a level may have.</summary>
    public const int MaxConcurrency = 512;

    /// <summary>The full URL requests are posted to, such as <c>http://127.0.0.1:8080/v1/analyze</c>.</summary>
    public required Uri Target { get; init; }

    /// <summary>The request body: the encoded image, sent as a raw <see cref="ContentType"/> body.</summary>
    public required ReadOnlyMemory<byte> Image { get; init; }

    /// <summary>The body's media type.</summary>
    public string ContentType { get; init; } = "image/jpeg";

    /// <summary>Concurrency levels, run one after the other: each is that many clients sending back to back.</summary>
    public IReadOnlyList<int> Concurrency { get; init; } = [1, 4, 16];

    /// <summary>Longest each level lasts.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Most requests each level sends; null bounds a level by <see cref="Duration"/> only.</summary>
    public int? Requests { get; init; }

    /// <summary>Warm-up before the first level (at the first level's concurrency), not counted; zero for none.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest one request may take before it counts as an error.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a target other than this machine (loopback) is allowed.</summary>
    public bool AllowRemote { get; init; }

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range, or the target is not loopback and <see cref="AllowRemote"/> is false.</exception>
    public void Validate()
    {
        if (!Target.IsAbsoluteUri || Target.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"The target '{Target}' is not an http(s) URL.");
        }

        if (!AllowRemote && !LoopbackHost.Is(Target))
        {
            throw new ArgumentException(
                $"The target host '{Target.Host}' is not this machine (localhost, 127.0.0.0/8 or ::1); a load test elsewhere needs the explicit allow-remote switch.");
        }

        if (Image.IsEmpty)
        {
            throw new ArgumentException("The image is empty.");
        }

        if (Concurrency.Count == 0 || Concurrency.Any(c => c is < 1 or > MaxConcurrency))
        {
            throw new ArgumentException($"Concurrency levels must be from 1 to {MaxConcurrency}.");
        }

        if (Duration <= TimeSpan.Zero || Duration > MaxDuration)
        {
            throw new ArgumentException($"The duration must be above 0 and at most {MaxDuration.TotalMinutes:0} minutes.");
        }

        if (Requests is < 1)
        {
            throw new ArgumentException("The request count must be at least 1.");
        }

        if (Warmup < TimeSpan.Zero || Warmup > MaxDuration || RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("The warm-up must be 0 to 10 minutes and the request timeout positive.");
        }
    }
}
