using System.CommandLine;
using Face2Data.Detection;
using Face2Data.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace Face2Data.Cli.Commands;

/// <summary><c>face2data serve</c>: runs the REST API and the web page.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Exported .onnx model to serve, or the name of one shipped beside the bundled model such as face2data-resnet (default: the bundled model)" };
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on, separated by ';'", DefaultValueFactory = _ => "http://0.0.0.0:8080" };
        var detector = new Option<string?>("--detector") { Description = $"Face detector: {FaceDetectors.Choices} (default: Server:Detector)" };
        var assets = new Option<string?>("--assets") { Description = "Folder of charts (training curves, dataset-*.png) the pages show" };
        var dataset = new Option<string?>("--dataset") { Description = "Dataset whose label distributions the Dataset page charts" };

        var command = new Command("serve", "Serve the REST API (/v1/analyze, /predict, /v1/model, /health, /metrics, /openapi) and the web page.")
        {
            model, urls, detector, assets, dataset,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Unmatched tokens (--Server:MaxBodyBytes=…) reach ASP.NET Core's configuration, like `dotnet run` arguments.
            string[] args = ["--urls", parse.GetValue(urls)!, .. parse.UnmatchedTokens];
            var app = Face2DataServer.Build(args, options =>
            {
                options.ModelPath = parse.GetValue(model) ?? options.ModelPath;
                options.Detector = parse.GetValue(detector) ?? options.Detector;
                options.AssetsDirectory = parse.GetValue(assets) ?? options.AssetsDirectory;
                options.DatasetPath = parse.GetValue(dataset) ?? options.DatasetPath;
            }, services => services.AddSingleton<IDatasetDescriber, DatasetDescriber>());
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidOperationException or Microsoft.Extensions.Options.OptionsValidationException or IOException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]The server could not start:[/] {ex.Message}");
                await app.DisposeAsync();
                return 1;
            }

            await app.WaitForShutdownAsync(cancellationToken);
            await app.DisposeAsync();
            return 0;
        });
        command.TreatUnmatchedTokensAsErrors = false;
        return command;
    }
}
