using Face2Data.Cli.LoadTesting;

namespace Face2Data.Cli.Tests.LoadTesting;

public sealed class LoadTestOptionsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/v1/analyze", true)]
    [InlineData("http://127.5.6.7/", true)]
    [InlineData("http://localhost:5000/", true)]
    [InlineData("http://LOCALHOST/", true)]
    [InlineData("http://api.localhost/", true)]
    [InlineData("http://[::1]:8080/", true)]
    [InlineData("http://10.0.0.5:8080/", false)]
    [InlineData("http://example.org/", false)]
    [InlineData("http://localhost.example.org/", false)]
    [InlineData("http://[::ffff:10.0.0.1]/", false)]
    public void Loopback_is_localhost_or_a_loopback_address(string url, bool expected)
    {
        Assert.Equal(expected, LoopbackHost.Is(new Uri(url)));
    }

    [Fact]
    public void A_remote_target_is_refused_unless_allowed()
    {
        var options = Options("http://example.org/v1/analyze");

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("is not this machine", error.Message);
        (options with { AllowRemote = true }).Validate();
    }

    [Theory]
    [InlineData(0, 20, null)]
    [InlineData(513, 20, null)]
    [InlineData(1, 0, null)]
    [InlineData(1, 601, null)]
    [InlineData(1, 20, 0)]
    public void Unbounded_or_out_of_range_settings_are_refused(int concurrency, int seconds, int? requests)
    {
        var options = Options("http://127.0.0.1/") with { Concurrency = [concurrency], Duration = TimeSpan.FromSeconds(seconds), Requests = requests };

        Assert.Throws<ArgumentException>(options.Validate);
    }

    private static LoadTestOptions Options(string url) => new() { Target = new Uri(url), Image = new byte[] { 1, 2, 3 } };
}
