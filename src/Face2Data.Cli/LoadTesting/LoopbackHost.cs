using System.Net;

namespace Face2Data.Cli.LoadTesting;

/// <summary>Tells whether a URL points at this machine without looking anything up.</summary>
internal static class LoopbackHost
{
    /// <summary>
    /// True for <c>localhost</c> (and names under <c>.localhost</c>, which resolve to loopback by RFC 6761) and for
    /// loopback IP literals (127.0.0.0/8, ::1). Other names are false even when they happen to resolve to loopback.
    /// </summary>
    public static bool Is(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var host = uri.IdnHost.TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}
