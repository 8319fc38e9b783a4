using System.Diagnostics;
using System.Security.Cryptography;

namespace Face2Data.Training.Tests;

// The patch task of build/LibTorchSharpCompat.targets (docs/libtorch-on-debian12.md), run by MSBuild as the build runs it.
public sealed class LibTorchSharpCompatTests
{
    private const string LibraryName = "libLibTorchSharp.so";

    [Fact]
    public void Patching_twice_changes_nothing_the_second_time_and_matches_the_built_library()
    {
        string directory = Directory.CreateTempSubdirectory("f2d-compat-").FullName;
        try
        {
            string library = Path.Combine(directory, LibraryName);
            string afterFirstPatch = Path.Combine(directory, "after-first-patch.so");
            File.Copy(NuGetOriginal(), library);

            // One MSBuild run (its start-up is most of the time) that patches the same fresh copy twice.
            string project = Path.Combine(directory, "patch-twice.proj");
            File.WriteAllText(project, $"""
                <Project DefaultTargets="PatchTwice">
                  <Import Project="{Path.Combine(RepositoryRoot(), "build", "LibTorchSharpCompat.targets")}" />
                  <Target Name="PatchTwice">
                    <PatchLibTorchSharp Library="{library}" ShimSource="$(LibTorchSharpShimSource)" />
                    <Copy SourceFiles="{library}" DestinationFiles="{afterFirstPatch}" />
                    <PatchLibTorchSharp Library="{library}" ShimSource="$(LibTorchSharpShimSource)" />
                  </Target>
                </Project>
                """);
            RunMSBuild(project);

            Assert.Equal(Sha256(afterFirstPatch), Sha256(library));
            // The build patched this test's own copy (or left it as is where libstdc++ has GLIBCXX_3.4.32) the same way.
            Assert.Equal(Sha256(Path.Combine(AppContext.BaseDirectory, LibraryName)), Sha256(library));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void RunMSBuild(string project) =>
        ChildProcess.RunOrFail(ChildProcess.Dotnet, ["msbuild", project, "-nologo", "-nodeReuse:false", "-v:q"]);

    // The pristine library in the NuGet cache, for the TorchSharp version this test was built against.
    private static string NuGetOriginal()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        Version version = typeof(TorchSharp.torch).Assembly.GetName().Version!;
        string path = Path.Combine(packages, "torchsharp", version.ToString(3), "runtimes", "linux-x64", "native", LibraryName);
        Assert.True(File.Exists(path), $"expected TorchSharp's original {LibraryName} at {path}");
        return path;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Face2Data.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"Face2Data.slnx not found above {AppContext.BaseDirectory}");
    }

    private static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
