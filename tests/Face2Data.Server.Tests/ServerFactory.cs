using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Face2Data.Server.Tests;

/// <summary>
/// An in-process server (TestServer) serving the test model, with the rate limit off unless a test sets it. Each
/// test makes its own, so no state is shared between tests.
/// </summary>
internal sealed class ServerFactory : WebApplicationFactory<Face2DataServer>
{
    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Server:ModelPath"] = TestModel.Path,
        ["Server:RateLimit:Enabled"] = "false",
        // Most tests send synthetic images with no real face: analyse each as one crop unless a test picks a detector.
        ["Server:Detector"] = "none",
    };

    private readonly Action<IServiceCollection>? _services;

    public ServerFactory(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        // A null value removes the test default of that key, so the server's own default applies.
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                _settings.Remove(key);
            }
            else
            {
                _settings[key] = value;
            }
        }

        _services = services;
    }

    /// <summary>A server whose detector finds red squares (<see cref="SquareDetector"/>).</summary>
    public static ServerFactory WithSquareDetector(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Server:Detector"] = SquareDetector.Name };
        return new ServerFactory(all, services => services.AddFaceDetector(SquareDetector.Name, _ => new SquareDetector()));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }
}
