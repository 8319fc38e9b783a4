namespace Face2Data.Server;

/// <summary>
/// Turns a <see cref="ProblemException"/> thrown by a handler (or a filter after this one) into its problem details
/// response, with <c>Retry-After</c> when it has one: the one place the API's refusals become responses, so handlers
/// only throw.
/// </summary>
internal sealed class ProblemExceptionFilter : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (ProblemException problem)
        {
            return problem.ToResult(context.HttpContext.Response);
        }
    }
}
