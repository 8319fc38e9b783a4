using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Face2Data.Inference;

namespace Face2Data.Server.Tests.Endpoints;

public sealed class ModelEndpointsTests
{
    [Fact]
    public async Task Model_card_describes_schema_input_metrics_data_license_and_limitations()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/v1/model");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var card = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("test-f2d-tiny", card.GetProperty("name").GetString());
        Assert.Equal("0.0.1-test", card.GetProperty("version").GetString());
        Assert.Equal("f2d-stem8-w8x16-b1x1-tower16", card.GetProperty("architecture").GetString());
        Assert.Equal(
            """[{"name":"age","kind":"regression","min":0,"max":116,"unit":"years"},{"name":"gender","kind":"categorical","classes":["male","female"]},{"name":"race","kind":"categorical","classes":["white","black","asian","indian","others"]}]""",
            card.GetProperty("heads").GetRawText());
        Assert.Equal("""{"size":32,"resize":"area","mean":[0.5,0.5,0.5],"std":[0.25,0.25,0.25],"crop_scale":1,"crop_shift_y":0}""", card.GetProperty("input").GetRawText());
        Assert.Equal("""{"age.mae":10}""", card.GetProperty("metrics").GetRawText());
        Assert.Equal("none: random weights (test fixture)", card.GetProperty("training_data").GetString());
        Assert.Equal("MIT (test fixture, no dataset content)", card.GetProperty("license").GetString());
        Assert.Equal("none", card.GetProperty("detector").GetString());
        Assert.Equal(ModelCard.Limitations, card.GetProperty("limitations").GetString());
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), card.GetProperty("created_utc").GetDateTimeOffset());
    }

    [Fact]
    public async Task Server_ModelPath_takes_the_name_of_a_model_shipped_beside_the_bundled_one()
    {
        await using var factory = new ServerFactory(new Dictionary<string, string?> { ["Server:ModelPath"] = "face2data-resnet" });
        using var client = factory.CreateClient();

        var card = await client.GetFromJsonAsync<JsonElement>("/v1/model");

        Assert.Equal("face2data-resnet", card.GetProperty("name").GetString());
        Assert.Equal("face-resnet", card.GetProperty("architecture").GetString());
        Assert.Equal(150, card.GetProperty("input").GetProperty("size").GetInt32());
    }
}
