using Face2Data.Inference;

namespace Face2Data.Server.Contracts;

/// <summary>One face: where it is and one prediction per head of the model's schema.</summary>
/// <param name="Box">The face's box in image pixels.</param>
/// <param name="Detected">True when a detector found the face; false when the whole image was analysed as one face.</param>
/// <param name="DetectionScore">The detector's confidence, when detected.</param>
/// <param name="Attributes">One prediction per head, by head name, in schema order.</param>
/// <param name="Landmarks">Eyes, nose and mouth corners with the roll angle, when the server locates landmarks (absent otherwise).</param>
public sealed record FaceResponse(BoxResponse Box, bool Detected, float? DetectionScore, IReadOnlyDictionary<string, AttributeResponse> Attributes, LandmarksResponse? Landmarks = null)
{
    /// <summary>Builds the response from a face result.</summary>
    public static FaceResponse From(FaceResult face)
    {
        // An ordered dictionary keeps the schema's head order in the JSON.
        var attributes = new OrderedDictionary<string, AttributeResponse>(StringComparer.Ordinal);
        foreach (var (name, prediction) in face.Attributes)
        {
            attributes[name] = AttributeResponse.From(prediction);
        }

        return new FaceResponse(new BoxResponse(face.Box.X, face.Box.Y, face.Box.Width, face.Box.Height), face.Detected, face.DetectionScore, attributes,
            face.Landmarks is { } landmarks ? LandmarksResponse.From(landmarks) : null);
    }
}
