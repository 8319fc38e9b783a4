using System.CommandLine;
using Face2Data.Detection;
using Face2Data.Models;

namespace Face2Data.Cli.Commands;

/// <summary>
/// The options of commands that cut faces from photos (predict, explain): whether faces get landmarks from the
/// bundled 68-point network, and whether they are cut aligned on the eyes or by their box.
/// </summary>
internal sealed class FaceCropOptions
{
    /// <summary>Crops aligned on the eyes, as UTKFace's training crops are.</summary>
    public const string Aligned = "aligned";

    /// <summary>Crops around the detector's box with the model's crop geometry.</summary>
    public const string Box = "box";

    /// <summary>
    /// The crop a command uses unless told otherwise: aligned, which with the default detector scored higher than box
    /// crops on real photos by the rule written beforehand (docs/performance.md, "Box or aligned crops").
    /// </summary>
    public const string DefaultCrop = Aligned;

    /// <summary><c>--landmarks</c>: locate eyes, nose and mouth corners.</summary>
    public Option<bool> Landmarks { get; } = new("--landmarks")
    {
        Description = "Locate each detected face's eyes, nose and mouth corners with the bundled 68-point network (--landmarks false turns it off, and with it aligned crops)",
        DefaultValueFactory = _ => true,
    };

    /// <summary><c>--crop</c>: aligned or box.</summary>
    public Option<string> Crop { get; } = MakeCrop();

    /// <summary>The landmark network, or null when landmarks are off. The caller disposes it.</summary>
    public IFaceLandmarker? CreateLandmarker(ParseResult parse) => parse.GetValue(Landmarks) ? BundledModels.LoadLandmarker() : null;

    /// <summary>UTKFace's eye positions for aligned crops (with landmarks on), else null (box crops).</summary>
    public EyeAlignment? Alignment(ParseResult parse) =>
        parse.GetValue(Landmarks) && parse.GetValue(Crop) == Aligned ? EyeAlignment.UtkFace : null;

    private static Option<string> MakeCrop()
    {
        var crop = new Option<string>("--crop")
        {
            Description = "How a detected face is cut for the model: aligned (rotated and scaled so its eyes sit where UTKFace's crops have them) or box (around the detector's box)",
            DefaultValueFactory = _ => DefaultCrop,
        };
        crop.AcceptOnlyFromAmong(Aligned, Box);
        return crop;
    }
}
