using System.CommandLine;
using Face2Data.Training.Runtime;

namespace Face2Data.Cli.Commands;

/// <summary>
/// <c>face2data doctor</c>: runs the oneDNN guard (<see cref="TorchRuntime"/>) on its own and prints what it found and
/// which remedy is in force, so a user can see before training whether this machine computes convolutions correctly.
/// Exit code 1 when no remedy does.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", $"Check that training computes correctly on this machine (the oneDNN guard; {OneDnnGuard.SettingVariable}=auto|none|avx2|off forces a path).");
        command.SetAction(parse =>
        {
            var result = TorchRuntime.EnsureCorrectArithmetic();
            // The guard has already written its line to standard error; standard output gets the facts to read.
            Console.WriteLine($"cpu: {result.Cpu}");
            Console.WriteLine($"self-check: {result.Check}");
            Console.WriteLine($"remedy: {result.Remedy.ToString().ToLowerInvariant()}");
            return 0;
        });
        return command;
    }
}
