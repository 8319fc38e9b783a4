using System.Diagnostics;
using Face2Data.Inference;
using Face2Data.Schema;
using OpenCvSharp;

namespace Face2Data.Explanation;

/// <summary>
/// Explains a <see cref="FaceAnalyzer"/>'s predictions for a face: finds and cuts the face exactly as the analysis
/// does (<see cref="FaceAnalyzer.FindFaces"/>), then, for each asked head, measures how much each region of the
/// crop pushed the explained output (a class's probability, or a regression value) with occlusion or KernelSHAP,
/// and draws the map over the crop. Thread-safe as far as the analyzer is; it does not own the analyzer.
/// </summary>
public sealed class FaceExplainer
{
    private readonly FaceAnalyzer _analyzer;

    /// <summary>Creates an explainer for the analyzer's model; the caller keeps ownership of the analyzer.</summary>
    public FaceExplainer(FaceAnalyzer analyzer)
    {
        ArgumentNullException.ThrowIfNull(analyzer);
        _analyzer = analyzer;
    }

    /// <summary>The explained model's manifest.</summary>
    public ModelManifest Model => _analyzer.Model;

    /// <summary>
    /// Explains one face of an upright 8-bit image (grey, BGR or BGRA), or returns null when the image has fewer
    /// faces than <see cref="ExplanationRequest.Face"/>. Cancellation is checked between model batches.
    /// </summary>
    /// <exception cref="ArgumentException">The request does not fit the model (unknown head or class, bad option); see <see cref="ExplanationRequest.Validate"/>.</exception>
    public FaceExplanation? Explain(Mat image, ExplanationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(request);
        var model = _analyzer.OnnxModel;
        request.Validate(model.Schema, model.InputSize);

        var faces = _analyzer.FindFaces(image, new FaceAnalysisRequest { Detection = request.Detection, MaxFaces = request.Face, Detector = request.Detector });
        try
        {
            if (faces.Count < request.Face)
            {
                return null;
            }

            var face = faces[request.Face - 1];
            var result = _analyzer.Predict(face);
            var baseline = BaselineImage.Create(face.Pixels, model.InputSize, request.Options.Baseline);
            var heads = new List<HeadExplanation>();
            foreach (var head in request.HeadsIn(model.Schema))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var output = request.ClassIn(head) ?? Predicted(head, result);
                var map = Explain(model, face.Pixels, baseline, head, output, request.Options, cancellationToken);
                heads.Add(new HeadExplanation(map, AttributionOverlay.ToPng(face.Crop, map)));
            }

            return new FaceExplanation(request.Face, result, heads, model.Manifest);
        }
        finally
        {
            foreach (var face in faces)
            {
                face.Dispose();
            }
        }
    }

    /// <summary>
    /// Explains one output of a model for one face given as the model's input pixels (HWC RGB), with the options'
    /// method and baseline.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="rgbPixels">The face as the model's input (<see cref="FaceInput.Pixels"/>).</param>
    /// <param name="baselinePixels">The baseline image (<see cref="BaselineImage.Create"/>).</param>
    /// <param name="head">The head to explain.</param>
    /// <param name="output">The class index for a categorical head; 0 for a regression head.</param>
    /// <param name="options">Method, grid and settings; the baseline's kind is recorded from them.</param>
    /// <param name="cancellationToken">Checked between model batches.</param>
    public static AttributionMap Explain(
        OnnxFaceModel model, byte[] rgbPixels, byte[] baselinePixels, AttributeHead head, int output, ExplanationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var method = options.CreateMethod(model.InputSize);
        var attribution = method.Explain(new ModelOutput(model, rgbPixels, baselinePixels, head.Name, output), cancellationToken);
        var occlusion = (method as OcclusionSensitivity)?.Options;
        var shap = (method as KernelShap)?.Options;
        return new AttributionMap
        {
            Head = head.Name,
            Kind = head.Kind,
            Class = head.Kind == HeadKind.Categorical ? head.Classes[output] : null,
            Method = method.Method,
            Baseline = options.Baseline,
            Grid = method.Grid,
            Values = attribution.Cells,
            Output = attribution.Output,
            BaselineOutput = attribution.BaselineOutput,
            Evaluations = attribution.Evaluations,
            Samples = shap?.Samples,
            Seed = shap?.Seed,
            Patch = occlusion?.Patch,
            Stride = occlusion?.Stride,
            InputSize = model.InputSize,
            Elapsed = clock.Elapsed,
        };
    }

    private static int Predicted(AttributeHead head, FaceResult result) =>
        head.Kind == HeadKind.Regression ? 0 : head.ClassIndex(result.Attributes[head.Name].Label!);
}
