using System.Text.Json;

namespace Face2Data.Packages.Tests;

/// <summary>
/// What a .NET developer does: install Face2Data and Face2Data.Models from a feed into a new console app, analyse a
/// photo, print the result. The packages come from a temporary feed packed from this repository, and only from it
/// (package source mapping); their dependencies come from this machine's package cache.
/// </summary>
public sealed class PackagesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("f2d-packages-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_new_console_app_installs_Face2Data_and_Face2Data_Models_from_the_feed_and_analyses_a_photo()
    {
        var feed = Path.Combine(_directory, "feed");
        foreach (var project in new[] { "Face2Data", "Face2Data.Models" })
        {
            Run("dotnet", ["pack", Path.Combine(Repository.Root, "src", project), "-c", "Release", "--no-build", "-o", feed, "-nologo"], Repository.Root);
        }

        var version = Repository.Version();
        Assert.True(File.Exists(Path.Combine(feed, $"Face2Data.{version}.nupkg")));
        Assert.True(File.Exists(Path.Combine(feed, $"Face2Data.Models.{version}.nupkg")));

        var app = Path.Combine(_directory, "app");
        Directory.CreateDirectory(app);
        WriteNuGetConfig(app, feed);
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
                <SelfContained>false</SelfContained>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Face2Data" Version="{version}" />
                <PackageReference Include="Face2Data.Models" Version="{version}" />
                <PackageReference Include="OpenCvSharp4.official.runtime.linux-x64" Version="{Repository.PackageVersion("OpenCvSharp4.official.runtime.linux-x64")}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using System.Text.Json;
            using Face2Data.Models;

            using var analyzer = BundledModels.LoadAnalyzer();
            var analysis = analyzer.Analyze(File.ReadAllBytes(args[0]));
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                faces = analysis.Faces.Count,
                attributes = analysis.Faces.Select(f => f.Attributes.ToDictionary(a => a.Key, a => a.Value.Label ?? a.Value.Value?.ToString())).ToList(),
            }));
            """);
        // Isolated from this repository's Directory.Build.* files, as a developer's own project is.
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(app, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(app, "Directory.Packages.props"), "<Project><PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>");

        Run("dotnet", ["build", "-c", "Release", "-nologo", "-v", "q"], app);
        var photo = Repository.LondonPortrait();
        var output = Run("dotnet", [Path.Combine(app, "bin", "Release", "net10.0", "linux-x64", "App.dll"), photo], app);

        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        Assert.Equal(1, json.RootElement.GetProperty("faces").GetInt32());
        var face = json.RootElement.GetProperty("attributes")[0];
        Assert.Contains(face.GetProperty("gender").GetString(), new[] { "male", "female" });
        Assert.False(string.IsNullOrEmpty(face.GetProperty("race").GetString()));
        Assert.True(File.Exists(Path.Combine(app, "bin", "Release", "net10.0", "linux-x64", "models", "face2data.onnx")));
        Assert.True(File.Exists(Path.Combine(app, "bin", "Release", "net10.0", "linux-x64", "models", "face2data_resnet.onnx")));
        var assets = File.ReadAllText(Path.Combine(app, "obj", "project.assets.json"));
        Assert.Contains(feed, assets);
        Assert.DoesNotContain("TorchSharp", assets);
        Assert.DoesNotContain("ScottPlot", assets);
    }

    [Fact]
    public void The_tool_installs_from_the_feed_with_dotnet_tool_install_and_predicts_a_photo()
    {
        var feed = Path.Combine(_directory, "feed");
        Run("dotnet", ["pack", Path.Combine(Repository.Root, "src", "Face2Data.Cli"), "-c", "Release", "--no-build", "-o", feed, "-nologo"], Repository.Root);
        WriteNuGetConfig(_directory, feed);
        var tools = Path.Combine(_directory, "tools");

        Run("dotnet", ["tool", "install", "Face2Data.Tool", "--version", Repository.Version(), "--tool-path", tools, "--configfile", Path.Combine(_directory, "NuGet.config")], _directory);
        var output = Run(Path.Combine(tools, "face2data"), ["predict", Repository.LondonPortrait(), "--format", "json"], _directory);

        using var json = JsonDocument.Parse(output.Trim().Split('\n')[0]);
        var face = Assert.Single(json.RootElement.GetProperty("faces").EnumerateArray());
        var gender = face.GetProperty("attributes").GetProperty("gender").GetProperty("label").GetString();
        Assert.Contains(gender, new[] { "male", "female" });
    }

    // Face2Data packages from the feed only; everything else from this machine's cache; extracted into a fresh folder.
    private void WriteNuGetConfig(string directory, string feed) => File.WriteAllText(Path.Combine(directory, "NuGet.config"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <config><add key="globalPackagesFolder" value="{Path.Combine(_directory, "packages")}" /></config>
          <packageSources>
            <clear />
            <add key="face2data" value="{feed}" />
            <add key="cache" value="{Repository.PackageCache}" />
          </packageSources>
          <packageSourceMapping>
            <packageSource key="face2data"><package pattern="Face2Data*" /></packageSource>
            <packageSource key="cache"><package pattern="*" /></packageSource>
          </packageSourceMapping>
        </configuration>
        """);

    private static string Run(string file, IEnumerable<string> arguments, string directory) =>
        ChildProcess.RunOrFail(file, arguments, directory, new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" });
}
