using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Face2Data.Server.Tests;

/// <summary>The real server (Kestrel) on a free port of 127.0.0.1, serving the test model.</summary>
internal sealed class KestrelServer : IAsyncDisposable
{
    private KestrelServer(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public static async Task<KestrelServer> StartAsync(Action<ServerOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var app = Face2DataServer.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"], options =>
        {
            options.ModelPath = TestModel.Path;
            options.RateLimit.Enabled = false;
            options.Detector = "none";
            configure?.Invoke(options);
        }, services);
        await app.StartAsync();
        return new KestrelServer(app, new Uri(app.Urls.Single()));
    }

    public HttpClient CreateClient() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
