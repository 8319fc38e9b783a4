using Microsoft.AspNetCore.Http.Timeouts;

namespace Face2Data.Server;

/// <summary>
/// Makes every error response an RFC 9457 problem with one of the API's stable types (<see cref="ProblemKind"/>):
/// those the endpoints return, and those the framework writes for bare statuses (404, 405, 500…). Unexpected
/// exceptions are logged by the framework; their response says only that an error occurred, never its details.
/// </summary>
internal static class ProblemResponses
{
    /// <summary>Fills in the type, title and instance of every problem the framework writes.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problem = context.ProblemDetails;
        if (problem.Type is null || !problem.Type.StartsWith(ProblemKind.TypePrefix, StringComparison.Ordinal))
        {
            var kind = ProblemKind.ForStatus(problem.Status ?? context.HttpContext.Response.StatusCode);
            problem.Type = kind.Type;
            problem.Title = kind.Title;
            problem.Detail = kind == ProblemKind.Internal ? "The server could not complete the request; the error is logged." : problem.Detail;
        }

        problem.Instance ??= context.HttpContext.Request.Path;
        problem.Extensions.Remove("exception");
    }

    /// <summary>Writes the timeout problem when a request runs past <see cref="ServerOptions.RequestTimeoutSeconds"/>.</summary>
    public static RequestTimeoutPolicy TimeoutPolicy(int seconds) => new()
    {
        Timeout = TimeSpan.FromSeconds(seconds),
        TimeoutStatusCode = ProblemKind.Timeout.Status,
        WriteTimeoutResponse = context => ProblemKind.Timeout
            .ToResult($"The request took longer than the {seconds} s the server allows.")
            .ExecuteAsync(context),
    };
}
