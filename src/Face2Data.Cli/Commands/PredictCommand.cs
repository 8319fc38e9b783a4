using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Face2Data.Detection;
using Face2Data.Imaging;
using Face2Data.Inference;
using Face2Data.Schema;
using OpenCvSharp;
using Spectre.Console;

namespace Face2Data.Cli.Commands;

/// <summary><c>face2data predict</c>: analyses image files and streams one result per face.</summary>
internal static class PredictCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Image files, folders or globs", Arity = ArgumentArity.OneOrMore };
        var model = new Option<string?>("--model") { Description = "ONNX model file, or the name of one shipped beside the bundled model such as face2data-resnet (default: the bundled model)" };
        var format = new Option<string>("--format") { Description = "table, json or csv", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var output = new Option<string?>("--out") { Description = "Write results to this file instead of the console" };
        var annotate = new Option<string?>("--annotate") { Description = "Write copies of the images with boxes and labels into this folder" };
        var detect = new Option<DetectionMode>("--detect") { Description = "auto, always or never", DefaultValueFactory = _ => DetectionMode.Auto };
        var detector = new Option<string>("--detector") { Description = $"Face detector: {FaceDetectors.Choices}", DefaultValueFactory = _ => FaceDetectors.Default };
        detector.AcceptOnlyFromAmong([.. FaceDetectors.Bundled]);
        var threads = new Option<int>("--threads") { Description = "Inference threads (0 = ONNX Runtime's choice)", DefaultValueFactory = _ => 0 };
        var crops = new FaceCropOptions();
        var command = new Command("predict", "Predict every attribute of every face in images.")
        {
            inputs, model, format, output, annotate, detect, detector, crops.Landmarks, crops.Crop, threads,
        };
        command.SetAction(parse =>
        {
            var (files, unmatched) = InputFiles.Expand(parse.GetValue(inputs)!);
            foreach (var missing in unmatched)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]No image matches '{missing}'[/]");
            }

            var options = new FaceAnalyzerOptions { Detection = parse.GetValue(detect), IntraOpThreads = parse.GetValue(threads), Alignment = crops.Alignment(parse) };
            using var faceDetector = FaceDetectors.Create(parse.GetValue(detector)!);
            using var landmarker = crops.CreateLandmarker(parse);
            using var analyzer = FaceAnalyzer.Load(BundledModel.PathOrDefault(parse.GetValue(model)), options, faceDetector, landmarker);
            var annotateDirectory = parse.GetValue(annotate);
            if (annotateDirectory is not null)
            {
                Directory.CreateDirectory(annotateDirectory);
            }

            var outPath = parse.GetValue(output);
            using var writer = outPath is null ? Console.Out : new StreamWriter(outPath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            var sink = ResultSink.Create(parse.GetValue(format)!, writer, analyzer.Model.Schema);
            var failures = unmatched.Count;
            void AnalyzeFile(string file)
            {
                try
                {
                    var bytes = File.ReadAllBytes(file);
                    if (annotateDirectory is null)
                    {
                        sink.Write(file, analyzer.Analyze(bytes));
                        return;
                    }

                    // Decode once and draw on the same upright pixels the analyzer saw.
                    using var upright = new ImageDecoder(analyzer.Options.Decode).Decode(bytes);
                    var analysis = analyzer.Analyze(upright);
                    sink.Write(file, analysis);
                    WriteAnnotated(upright, analysis, Path.Combine(annotateDirectory, Path.GetFileNameWithoutExtension(file) + ".annotated.jpg"));
                }
                catch (Exception error) when (error is ImageDecodeException or IOException or UnauthorizedAccessException)
                {
                    failures++;
                    Console.Error.WriteLine($"{file}: {error.Message}");
                    sink.WriteError(file, error.Message);
                }
            }

            // Results stream to the console, or to --out with a progress bar on the console when there are many files.
            if (outPath is not null && files.Count > 1 && AnsiConsole.Profile.Capabilities.Interactive)
            {
                AnsiConsole.Progress().Start(context =>
                {
                    var task = context.AddTask("predicting", maxValue: files.Count);
                    foreach (var file in files)
                    {
                        AnalyzeFile(file);
                        task.Increment(1);
                    }
                });
            }
            else
            {
                files.ForEach(AnalyzeFile);
            }

            sink.Finish();
            return failures > 0 ? 1 : 0;
        });
        return command;
    }

    private static void WriteAnnotated(Mat upright, FaceAnalysis analysis, string path)
    {
        using var annotated = FaceAnnotator.Annotate(upright, analysis);
        Cv2.ImEncode(".jpg", annotated, out var jpeg);
        File.WriteAllBytes(path, jpeg);
    }

    /// <summary>Writes results as they come, in one of the output formats.</summary>
    private abstract class ResultSink(TextWriter writer)
    {
        protected TextWriter Writer { get; } = writer;

        public static ResultSink Create(string format, TextWriter writer, AttributeSchema schema) => format switch
        {
            "json" => new JsonSink(writer),
            "csv" => new CsvSink(writer, schema),
            _ => new TableSink(writer),
        };

        public abstract void Write(string file, FaceAnalysis analysis);

        public abstract void WriteError(string file, string message);

        public virtual void Finish() => Writer.Flush();
    }

    private sealed class JsonSink(TextWriter writer) : ResultSink(writer)
    {
        // JSON Lines: one object per image, so a consumer can stream.
        public override void Write(string file, FaceAnalysis analysis) =>
            Writer.WriteLine(JsonSerializer.Serialize(new { file, analysis.Width, analysis.Height, analysis.Faces, timings_ms = analysis.Timings }, JsonOptions));

        public override void WriteError(string file, string message) =>
            Writer.WriteLine(JsonSerializer.Serialize(new { file, error = message }, JsonOptions));
    }

    private sealed class CsvSink : ResultSink
    {
        private readonly AttributeSchema _schema;

        public CsvSink(TextWriter writer, AttributeSchema schema) : base(writer)
        {
            _schema = schema;
            var columns = new List<string> { "file", "face", "x", "y", "width", "height", "detected" };
            foreach (var head in schema.Heads)
            {
                columns.AddRange(head.Kind == HeadKind.Regression ? [head.Name] : [head.Name, $"{head.Name}_confidence"]);
            }

            columns.Add("error");
            Writer.WriteLine(string.Join(',', columns));
        }

        public override void Write(string file, FaceAnalysis analysis)
        {
            for (var i = 0; i < analysis.Faces.Count; i++)
            {
                var face = analysis.Faces[i];
                var cells = new List<string> { Quote(file), $"{i}", $"{face.Box.X}", $"{face.Box.Y}", $"{face.Box.Width}", $"{face.Box.Height}", face.Detected ? "true" : "false" };
                foreach (var head in _schema.Heads)
                {
                    var prediction = face.Attributes[head.Name];
                    cells.AddRange(head.Kind == HeadKind.Regression
                        ? [Number(prediction.Value!.Value)]
                        : [Quote(prediction.Label!), Number(prediction.Confidence!.Value)]);
                }

                cells.Add("");
                Writer.WriteLine(string.Join(',', cells));
            }
        }

        public override void WriteError(string file, string message) =>
            Writer.WriteLine(Quote(file) + new string(',', 6 + _schema.Heads.Sum(h => h.Kind == HeadKind.Regression ? 1 : 2) + 1) + Quote(message));

        private static string Number(float value) => value.ToString("0.####", CultureInfo.InvariantCulture);

        private static string Quote(string text) => text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }

    private sealed class TableSink(TextWriter writer) : ResultSink(writer)
    {
        public override void Write(string file, FaceAnalysis analysis)
        {
            if (analysis.Faces.Count == 0)
            {
                Writer.WriteLine($"{file}: no face found ({analysis.Timings.TotalMs:F1} ms)");
            }

            foreach (var face in analysis.Faces)
            {
                var parts = face.Attributes.Values.Select(a => a.Kind == HeadKind.Regression
                    ? $"{a.Head} {a.Value:F1}{(a.Unit is null ? "" : " " + a.Unit)} ({a.Range!.Value.Low:F0}–{a.Range.Value.High:F0})"
                    : $"{a.Head} {a.Label} {a.Confidence:P0}");
                var where = face.Detected ? $"face at {face.Box.X},{face.Box.Y} {face.Box.Width}x{face.Box.Height}" : "whole image";
                Writer.WriteLine($"{file}: {where}: {string.Join(", ", parts)} ({analysis.Timings.TotalMs:F1} ms)");
            }
        }

        public override void WriteError(string file, string message)
        {
        }
    }
}
