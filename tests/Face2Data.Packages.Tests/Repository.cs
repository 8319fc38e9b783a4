using System.Xml.Linq;

namespace Face2Data.Packages.Tests;

/// <summary>The repository this test runs in: its root, its one package version, its pinned versions, its photos.</summary>
internal static class Repository
{
    public static string Root => TestPaths.RepositoryRoot;

    /// <summary>This machine's NuGet package cache, where the repository's restore put every dependency.</summary>
    public static string PackageCache => Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The packages' version (Directory.Build.props).</summary>
    public static string Version() => XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants("Version").Single().Value;

    /// <summary>A package's pinned version (Directory.Packages.props).</summary>
    public static string PackageVersion(string id) => XDocument.Load(Path.Combine(Root, "Directory.Packages.props"))
        .Descendants("PackageVersion").Single(p => (string?)p.Attribute("Include") == id).Attribute("Version")!.Value;

    /// <summary>The first portrait of <c>../shared/datasets/london-faces</c> (read in place, never copied).</summary>
    public static string LondonPortrait() => Directory.EnumerateFiles(Path.Combine(Root, "..", "shared", "datasets", "london-faces", "images"))
        .Order(StringComparer.Ordinal).First();
}
