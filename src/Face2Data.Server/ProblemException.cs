using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Face2Data.Server;

/// <summary>A request the API refuses, with the <see cref="ProblemKind"/> its response reports.</summary>
internal sealed class ProblemException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What kind of problem it is.</param>
    /// <param name="detail">What exactly is wrong, in words the client can act on.</param>
    /// <param name="retryAfterSeconds">When the client may retry (sent as <c>Retry-After</c>), for a busy server.</param>
    public ProblemException(ProblemKind kind, string detail, int? retryAfterSeconds = null)
        : base(detail)
    {
        Kind = kind;
        RetryAfterSeconds = retryAfterSeconds;
    }

    /// <summary>What kind of problem it is.</summary>
    public ProblemKind Kind { get; }

    /// <summary>Seconds after which the client may retry, when known.</summary>
    public int? RetryAfterSeconds { get; }

    /// <summary>The problem response; sets <c>Retry-After</c> on <paramref name="response"/> when known.</summary>
    public ProblemHttpResult ToResult(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return Kind.ToResult(Message);
    }
}
