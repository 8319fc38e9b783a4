using Face2Data.Models;
using Face2Data.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Face2Data.Cli.Tests;

/// <summary>The real server (Kestrel) on a free port of 127.0.0.1 with the bundled model, every image one face.</summary>
internal sealed class RealServer(WebApplication app) : IAsyncDisposable
{
    public Uri Address { get; } = new(app.Urls.Single());

    public static async Task<RealServer> StartAsync(Action<ServerOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var app = Face2DataServer.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"], options =>
        {
            options.ModelPath = BundledModels.AttributeModelPath;
            options.Detector = "none";
            configure?.Invoke(options);
        }, services);
        await app.StartAsync();
        return new RealServer(app);
    }

    public HttpClient CreateClient() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
