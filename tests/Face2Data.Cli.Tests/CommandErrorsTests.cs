using System.CommandLine;
using Face2Data.Cli;

namespace Face2Data.Cli.Tests;

public class CommandErrorsTests
{
    [Theory]
    [InlineData("file")]
    [InlineData("argument")]
    [InlineData("data")]
    public async Task A_users_mistake_is_one_line_on_stderr_and_exit_code_1(string kind)
    {
        Exception thrown = kind switch
        {
            "file" => new FileNotFoundException("No UTKFace folder or archive at '/nowhere'."),
            "argument" => new ArgumentException("Unknown face detector 'hog'."),
            _ => new InvalidDataException("'x.onnx' is not an ONNX model."),
        };
        using var error = new StringWriter();

        var code = await CommandErrors.InvokeAsync(Throwing(thrown), ["go"], error);

        Assert.Equal(CommandErrors.UserError, code);
        Assert.Equal($"face2data: {thrown.Message}{Environment.NewLine}", error.ToString());
    }

    [Fact]
    public async Task A_bug_keeps_its_exception_and_stack_trace()
    {
        using var error = new StringWriter();

        await Assert.ThrowsAsync<NullReferenceException>(() => CommandErrors.InvokeAsync(Throwing(new NullReferenceException()), ["go"], error));
        await Assert.ThrowsAsync<ArgumentNullException>(() => CommandErrors.InvokeAsync(Throwing(new ArgumentNullException("model")), ["go"], error));
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public async Task A_successful_command_returns_its_own_exit_code()
    {
        var root = new RootCommand { new Command("go") };
        root.Subcommands[0].SetAction(_ => 7);
        using var error = new StringWriter();

        Assert.Equal(7, await CommandErrors.InvokeAsync(root, ["go"], error));
        Assert.Equal("", error.ToString());
    }

    private static RootCommand Throwing(Exception exception)
    {
        var go = new Command("go");
        go.SetAction(new Func<ParseResult, int>(_ => throw exception));
        return new RootCommand { go };
    }
}
