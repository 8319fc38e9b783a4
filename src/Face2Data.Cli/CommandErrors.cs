using System.CommandLine;

namespace Face2Data.Cli;

/// <summary>
/// Runs a command line and turns the errors a user can fix (a missing or unreadable file, a bad option value, data
/// that is not what it claims to be) into one line on standard error and exit code 1. Anything else is a bug and keeps
/// its stack trace.
/// </summary>
internal static class CommandErrors
{
    public const int UserError = 1;

    public static async Task<int> InvokeAsync(RootCommand root, string[] args, TextWriter error)
    {
        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Error = error });
        }
        catch (Exception exception) when (IsUserError(exception))
        {
            await error.WriteLineAsync($"face2data: {exception.Message}");
            return UserError;
        }
    }

    /// <summary>True for the exceptions the commands throw about their input rather than about themselves.</summary>
    public static bool IsUserError(Exception exception) => exception is
        (ArgumentException and not ArgumentNullException) or IOException or InvalidDataException or FormatException
        or UnauthorizedAccessException or NotSupportedException
        // Not the user's mistake but the host's, and its message says what to do.
        or Training.Runtime.OneDnnArithmeticException;
}
