using System.Diagnostics;

namespace Face2Data.Testing;

/// <summary>Runs a program to its end and returns what it wrote: for the tests that need a fresh process.</summary>
internal static class ChildProcess
{
    /// <summary>The <c>dotnet</c> host that runs the tests.</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>Runs <paramref name="file"/>; <paramref name="environment"/> sets (or, with null, removes) variables.</summary>
    public static (int ExitCode, string Output, string Error) Run(
        string file, IEnumerable<string> arguments, string? directory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (directory is not null)
        {
            start.WorkingDirectory = directory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
            if (value is null)
            {
                start.Environment.Remove(name);
            }
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    /// <summary>Runs <paramref name="file"/>, fails the test with its output unless it exits 0, and returns its standard output.</summary>
    public static string RunOrFail(string file, IEnumerable<string> arguments, string? directory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var list = arguments.ToList();
        var (code, output, error) = Run(file, list, directory, environment);
        Xunit.Assert.True(code == 0, $"{file} {string.Join(' ', list)} failed ({code}):\n{output}\n{error}");
        return output;
    }
}
