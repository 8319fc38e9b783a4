namespace Face2Data.Server;

/// <summary>
/// Refuses a request to an inference route with 429 <c>queue-full</c> and <c>Retry-After</c> while the
/// <see cref="InferenceQueue"/> has no room, before the handler reads and checks the upload. Under overload most
/// requests are refused, and a refusal must cost next to nothing, or refusing steals the cores the admitted requests
/// need: this one reads no body, decodes nothing and throws nothing. A request let through may still be refused when
/// it reaches the queue, if others took the room meanwhile.
/// </summary>
internal sealed class QueueAdmissionFilter(InferenceQueue queue) : IEndpointFilter
{
    /// <inheritdoc />
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return queue.HasRoom ? next(context) : ValueTask.FromResult<object?>(queue.Refusal().ToResult(context.HttpContext.Response));
    }
}
