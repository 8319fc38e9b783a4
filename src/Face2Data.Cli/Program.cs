using System.CommandLine;
using Face2Data.Cli.Commands;

namespace Face2Data.Cli;

internal static class Program
{
    private static Task<int> Main(string[] args)
    {
        var root = new RootCommand("Face2Data: predict age, gender, ethnicity and other attributes from faces; train and evaluate the models.")
        {
            TrainCommand.Create(),
            TrainHeadsCommand.Create(),
            ExportCommand.Create(),
            CalibrateCommand.Create(),
            CorrectPriorsCommand.Create(),
            PredictCommand.Create(),
            ExplainCommand.Create(),
            BenchCommand.Create(),
            DatasetCommand.Create(),
            EvaluateCommand.Create(),
            PlotCommand.Create(),
            ServeCommand.Create(),
            CardCommand.Create(),
            DetectorCommand.Create(),
            DoctorCommand.Create(),
        };
        return CommandErrors.InvokeAsync(root, args, Console.Error);
    }
}
