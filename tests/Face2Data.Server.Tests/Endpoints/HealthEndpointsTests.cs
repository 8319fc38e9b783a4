using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Face2Data.Server.Tests.Endpoints;

public sealed class HealthEndpointsTests
{
    [Fact]
    public async Task Live_and_ready_are_healthy_once_the_model_is_loaded()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();

        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("""{"status":"Healthy","checks":{}}""", await live.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("model").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_check_is_unhealthy_before_the_model_loads_and_after_shutdown_begins()
    {
        var options = Options.Create(new ServerOptions { ModelPath = TestModel.Path, Detector = "none" });
        using var lifetime = new TestLifetime();
        using var host = new ModelHost(options, new EmptyServices(), lifetime, NullLogger<ModelHost>.Instance);
        var check = new ModelHealthCheck(host);

        var before = await check.CheckHealthAsync(new HealthCheckContext());
        await host.StartAsync(CancellationToken.None);
        var loaded = await check.CheckHealthAsync(new HealthCheckContext());
        lifetime.StopApplication();
        var stopping = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, before.Status);
        Assert.Equal(HealthStatus.Healthy, loaded.Status);
        Assert.Equal(HealthStatus.Unhealthy, stopping.Status);
    }

    [Theory]
    [InlineData("missing", "Cannot serve the model '{0}': Model file '{0}' does not exist.")]
    [InlineData("corrupt", "Cannot serve the model '{0}': '{0}' is not a valid ONNX model")]
    public async Task Start_up_fails_with_a_clear_message_for_a_missing_or_corrupt_model(string kind, string message)
    {
        var directory = Directory.CreateTempSubdirectory("f2d-server-").FullName;
        try
        {
            var path = Path.Combine(directory, "model.onnx");
            if (kind == "corrupt")
            {
                await File.WriteAllBytesAsync(path, TestImages.Text());
            }

            var error = Assert.IsType<InvalidOperationException>(
                await KestrelServer.StartUpErrorAsync(new Dictionary<string, string?> { ["Server:ModelPath"] = path }));

            Assert.StartsWith(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, path), error.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Start_up_fails_for_an_unknown_detector_naming_the_known_ones()
    {
        var error = Assert.IsType<InvalidOperationException>(await KestrelServer.StartUpErrorAsync(
            new Dictionary<string, string?> { ["Server:Detector"] = "yunet" },
            services => services.AddFaceDetector(SquareDetector.Name, _ => new SquareDetector())));

        Assert.Equal("Unknown face detector 'yunet'. Known: none, haar, tiny, blazeface, ssd, squares.", error.Message);
    }

    [Theory]
    [InlineData("Server:MaxBodyBytes", "0", "MaxBodyBytes")]
    [InlineData("Server:MaxConcurrentInferences", "0", "MaxConcurrentInferences")]
    [InlineData("Server:RateLimit:PermitLimit", "0", "RateLimit: The field PermitLimit")]
    [InlineData("Server:CorsOrigins:0", "not an origin", "CorsOrigins: 'not an origin'")]
    [InlineData("Server:AssetsDirectory", "/nonexistent/charts", "AssetsDirectory: no folder at '/nonexistent/charts'")]
    public async Task Start_up_fails_for_invalid_options(string key, string value, string message)
    {
        var error = Assert.IsType<OptionsValidationException>(
            await KestrelServer.StartUpErrorAsync(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(message, error.Message);
    }

    private sealed class TestLifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();

        public void Dispose() => _stopping.Dispose();
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
