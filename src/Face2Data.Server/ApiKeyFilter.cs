using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Face2Data.Server;

/// <summary>
/// Requires the <c>X-Api-Key</c> header to equal <see cref="ServerOptions.ApiKey"/> when one is set (401 otherwise).
/// Health, metrics, the OpenAPI document and the pages stay open.
/// </summary>
internal sealed class ApiKeyFilter : IEndpointFilter
{
    /// <summary>The request header that carries the key.</summary>
    public const string HeaderName = "X-Api-Key";

    private readonly byte[]? _keyHash;

    /// <summary>Creates the filter from the server's options.</summary>
    public ApiKeyFilter(IOptions<ServerOptions> options)
    {
        var key = options.Value.ApiKey;
        _keyHash = string.IsNullOrEmpty(key) ? null : Hash(key);
    }

    /// <inheritdoc />
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (_keyHash is null)
        {
            return next(context);
        }

        var given = context.HttpContext.Request.Headers[HeaderName].ToString();
        // Comparing fixed-length hashes in constant time tells an attacker nothing about the key, not even its length.
        if (given.Length > 0 && CryptographicOperations.FixedTimeEquals(Hash(given), _keyHash))
        {
            return next(context);
        }

        var detail = given.Length == 0 ? $"Send the API key in the {HeaderName} header." : $"The {HeaderName} header does not hold a valid key.";
        return ValueTask.FromResult<object?>(ProblemKind.Unauthorized.ToResult(detail));
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
