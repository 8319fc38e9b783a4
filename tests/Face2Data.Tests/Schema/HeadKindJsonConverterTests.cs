using System.Text.Json;
using Face2Data.Schema;

namespace Face2Data.Tests.Schema;

public class HeadKindJsonConverterTests
{
    [Fact]
    public void A_head_kind_is_written_and_read_as_its_lower_case_name_with_any_serializer_options()
    {
        Assert.Equal("\"regression\"", JsonSerializer.Serialize(HeadKind.Regression));
        Assert.Equal("{\"kind\":\"categorical\"}", JsonSerializer.Serialize(new { kind = HeadKind.Categorical }, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
        Assert.Equal(HeadKind.Categorical, JsonSerializer.Deserialize<HeadKind>("\"categorical\""));
    }

    [Fact]
    public void A_number_is_not_a_head_kind()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<HeadKind>("1"));
    }
}
