using System.Net;

namespace Face2Data.Server.Tests.Endpoints;

/// <summary>The analyze page's Explain toggles: the script is served and wired to the page and the API.</summary>
public sealed class ExplainPageTests
{
    [Fact]
    public async Task The_explain_script_is_served_after_app_js_and_hooks_into_its_results()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/explain.js");
        var script = await response.Content.ReadAsStringAsync();
        var html = await client.GetStringAsync("/");
        var app = await client.GetStringAsync("/app.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.True(html.IndexOf("<script src=\"app.js\"></script>", StringComparison.Ordinal) < html.IndexOf("<script src=\"explain.js\"></script>", StringComparison.Ordinal));
        Assert.Contains("face2data:analyzed", app);
        Assert.Contains("face2data:analyzed", script);
        Assert.Contains("section.dataset.head = name", app);
        Assert.Contains("/v1/explain?", script);
        Assert.Contains("data:image/png;base64,", script);
        Assert.DoesNotContain("innerHTML", script);
    }
}
