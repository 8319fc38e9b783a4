using System.Buffers;
using System.Diagnostics;
using Face2Data.Detection;
using Face2Data.Imaging;
using OpenCvSharp;

namespace Face2Data.Inference;

/// <summary>
/// The way from an image to the model's input, as <see cref="FaceAnalyzer"/> runs it: decode (at reduced scale for
/// detection where that is allowed), detect, order and limit the faces, locate their landmarks, cut each one (aligned
/// on its eyes when it has landmarks and an alignment is set, else with the model's crop geometry), and write its
/// normalised tensor into a pooled buffer.
/// </summary>
internal sealed class FacePipeline(
    ModelManifest manifest, ImageDecoder decoder, IFaceDetector? analyzerDetector, int? reducedDecodeSide, IFaceLandmarker? landmarker, EyeAlignment? alignment)
{
    private readonly ModelManifest _manifest = manifest;
    private readonly IFaceLandmarker? _landmarker = landmarker;
    private readonly EyeAlignment? _alignment = alignment;
    private readonly ImageDecoder _decoder = decoder;
    private readonly IFaceDetector? _detector = analyzerDetector;
    private readonly int? _reducedDecodeSide = reducedDecodeSide;

    // Decodes (at reduced scale for detection when ReducedDecodeSide allows), finds the faces, and writes each face's
    // model input into a pooled buffer.
    public PreparedFaces Prepare(ReadOnlySpan<byte> encoded, DetectionMode detection, int maxFaces, IFaceDetector? detector)
    {
        var clock = Stopwatch.StartNew();
        var detects = detector is not null && detection != DetectionMode.Never;
        ReducedImage image;
        var reducedSide = _reducedDecodeSide;
        if (reducedSide is not null && detector != _detector && detector?.ScanSide is { } scanSide)
        {
            reducedSide = scanSide; // a detector chosen for this call decodes for its own scanning size
        }

        if (detects && reducedSide is { } side)
        {
            image = _decoder.DecodeReduced(encoded, side);
        }
        else
        {
            var bgr = _decoder.Decode(encoded);
            image = new ReducedImage(bgr, 1, bgr.Width, bgr.Height);
        }

        using (image)
        {
            return Prepare(image, encoded, clock.Elapsed.TotalMilliseconds, detection, maxFaces, detector);
        }
    }

    public PreparedFaces Prepare(ReducedImage image, ReadOnlySpan<byte> encoded, double decodeMs, DetectionMode detection, int maxFaces, IFaceDetector? detector)
    {
        var clock = Stopwatch.StartNew();
        var faces = LocateFaces(image, detection, maxFaces, detector, _landmarker);
        var detectMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var preprocessing = _manifest.Preprocessing;
        var prepared = new PreparedFaces(_manifest.Preprocessing.TensorLength, image.FullWidth, image.FullHeight, faces.Count, decodeMs, detectMs);
        try
        {
            // A face too small in the reduced image for the model's input is cut from a full-resolution decode.
            var source = image.Image;
            var factor = image.Factor;
            Mat? full = null;
            if (factor > 1 && faces.Any(f => f.Score is not null && FaceCrop.Region(f.Box, _manifest.Crop).Width < preprocessing.Size))
            {
                full = _decoder.DecodeReduced(encoded, int.MaxValue).Image;
                (source, factor) = (full, 1);
            }

            using (full)
            {
                var scratch = ArrayPool<byte>.Shared.Rent(preprocessing.PixelLength);
                try
                {
                    for (var i = 0; i < faces.Count; i++)
                    {
                        var face = faces[i];
                        var tensor = prepared.Tensor(i);
                        if (face.Score is null)
                        {
                            preprocessing.WriteTensor(source, scratch.AsSpan(0, preprocessing.PixelLength), tensor);
                        }
                        else
                        {
                            using var crop = Cut(source, factor == 1 ? ToFullResolution(image, face) : face);
                            preprocessing.WriteTensor(crop, scratch.AsSpan(0, preprocessing.PixelLength), tensor);
                        }

                        prepared.Add(ToFullResolution(image, face));
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(scratch);
                }
            }

            prepared.Clock.Restart();
            prepared.PreprocessMs = clock.Elapsed.TotalMilliseconds;
            return prepared;
        }
        catch
        {
            prepared.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The crop the model sees for a detected face (in <paramref name="source"/>'s pixels): aligned on its eyes when
    /// it has landmarks and an alignment is set, else the model's crop geometry around its box.
    /// </summary>
    public Mat Cut(Mat source, LocatedFace face) =>
        face.Landmarks is { } landmarks && _alignment is { } alignment
            ? FaceCrop.ExtractAligned(source, landmarks, alignment)
            : FaceCrop.Extract(source, face.Box, _manifest.Crop);

    private static LocatedFace ToFullResolution(ReducedImage image, LocatedFace face) =>
        image.Factor == 1 ? face : face with { Box = image.ToFullResolution(face.Box), Landmarks = face.Landmarks?.Transform(image.Factor) };

    // Faces in the pixels of image.Image, largest first; landmarks from the detector, else from the landmarker.
    public static List<LocatedFace> LocateFaces(ReducedImage image, DetectionMode detection, int maxFaces, IFaceDetector? detector, IFaceLandmarker? landmarker)
    {
        var bgr = image.Image;
        var whole = new List<LocatedFace> { new(new FaceBox(0, 0, bgr.Width, bgr.Height), null, null) };
        if (detector is null || detection == DetectionMode.Never)
        {
            return whole;
        }

        var found = detector.Detect(bgr)
            .OrderByDescending(f => f.Box.Area)
            .Take(maxFaces)
            .Select(f => new LocatedFace(f.Box, f.Score, f.Landmarks ?? landmarker?.Locate(bgr, f.Box)))
            .ToList();
        if (found.Count == 0 && detection == DetectionMode.Auto && FaceCrop.LooksLikeACrop(image.FullWidth, image.FullHeight))
        {
            return whole;
        }

        return found;
    }
}
