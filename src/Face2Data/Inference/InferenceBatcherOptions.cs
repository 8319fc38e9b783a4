namespace Face2Data.Inference;

/// <summary>Settings of an <see cref="InferenceBatcher"/>.</summary>
public sealed record InferenceBatcherOptions
{
    /// <summary>Most face images in one model run (at least 1). A request with more faces runs on its own, unbatched.</summary>
    public int MaxBatchSize { get; init; } = 16;

    /// <summary>
    /// Longest a gathered batch waits for requests announced with <see cref="InferenceBatcher.Expect"/> but not yet
    /// submitted, counted from the first request's arrival. Zero never waits: a run takes what is queued.
    /// </summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>The defaults.</summary>
    public static InferenceBatcherOptions Default { get; } = new();
}
