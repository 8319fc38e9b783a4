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

    /// <summary>
    /// Starts the real server with <paramref name="settings"/> over the test defaults and returns why start-up failed.
    /// WebApplicationFactory is not used for this: when start-up fails fast, its deferred host can be disposed before
    /// it reports the failure, and an ObjectDisposedException hides the real one.
    /// </summary>
    public static async Task<Exception> StartUpErrorAsync(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Server:ModelPath"] = TestModel.Path,
            ["Server:RateLimit:Enabled"] = "false",
            ["Server:Detector"] = "none",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        string[] args = ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=None", .. all.Select(setting => $"--{setting.Key}={setting.Value}")];
        WebApplication? app = null;
        try
        {
            // Some settings are checked while the server is built, the rest while it starts.
            app = Face2DataServer.Build(args, configure: null, services);
            await app.StartAsync();
            await app.StopAsync();
        }
        catch (Exception error)
        {
            return error;
        }
        finally
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }

        throw new Xunit.Sdk.XunitException("The server started; a start-up error was expected.");
    }

    public HttpClient CreateClient() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
