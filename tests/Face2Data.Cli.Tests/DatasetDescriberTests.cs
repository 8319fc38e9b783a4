using System.Net.Http.Json;
using System.Text.Json;
using Face2Data.Cli.Commands;
using Face2Data.Server;
using Microsoft.Extensions.DependencyInjection;

namespace Face2Data.Cli.Tests;

/// <summary>The label counts of the server's dataset page, as <c>face2data serve --dataset</c> provides them.</summary>
public sealed class DatasetDescriberTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("f2d-describer-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_served_dataset_page_counts_the_labels_of_the_dataset_given_to_serve()
    {
        var folder = Path.Combine(_directory, "UTKFace");
        Directory.CreateDirectory(folder);
        string[] names =
        [
            "1_0_0_20170101000000001.jpg.chip.jpg", "25_1_2_20170101000000002.jpg.chip.jpg", "29_1_2_20170101000000003.jpg.chip.jpg",
            "30_0_1_20170101000000004.jpg.chip.jpg", "116_1_4_20170101000000005.jpg.chip.jpg",
        ];
        var jpeg = TestFiles.Jpeg(seed: 1, width: 20, height: 20);
        foreach (var name in names)
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, name), jpeg);
        }

        await using var server = await RealServer.StartAsync(
            options => options.DatasetPath = folder,
            services => services.AddSingleton<IDatasetDescriber, DatasetDescriber>());
        using var client = server.CreateClient();

        var dataset = await client.GetFromJsonAsync<JsonElement>("/v1/dataset");

        Assert.Equal("UTKFace", dataset.GetProperty("name").GetString());
        Assert.Equal(5, dataset.GetProperty("samples").GetInt32());
        var heads = dataset.GetProperty("heads").EnumerateArray().ToDictionary(h => h.GetProperty("name").GetString()!);
        Assert.Equal("""[{"label":"male","count":2},{"label":"female","count":3}]""", heads["gender"].GetProperty("bins").GetRawText());
        Assert.Equal([1, 1, 2, 0, 1], heads["race"].GetProperty("bins").EnumerateArray().Select(b => b.GetProperty("count").GetInt32()));
        var age = heads["age"].GetProperty("bins").EnumerateArray().Select(b => (b.GetProperty("label").GetString(), b.GetProperty("count").GetInt32())).ToList();
        Assert.Equal(12, age.Count);
        Assert.Equal(("0–9", 1), age[0]);
        Assert.Equal(("20–29", 2), age[2]);
        Assert.Equal(("30–39", 1), age[3]);
        Assert.Equal(("110–116", 1), age[11]);
        Assert.Equal(5, age.Sum(a => a.Item2));
        Assert.Equal(0, heads["age"].GetProperty("unknown").GetInt32());
        Assert.Equal(5, new DatasetDescriber().Describe(folder).Samples);
    }
}
