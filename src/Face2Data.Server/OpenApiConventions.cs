using Face2Data.Detection;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Face2Data.Server;

/// <summary>
/// OpenAPI descriptions the handlers cannot state in their signatures: they read the upload themselves (to bound it
/// and to accept both multipart and raw bodies), and they answer with any of the API's problem kinds.
/// </summary>
internal static class OpenApiConventions
{
    private static readonly int[] ProblemStatuses = [400, 401, 413, 415, 422, 429, 504];

    /// <summary>Documents the image upload body and the <c>detect</c>, <c>max_faces</c> and <c>detector</c> query options.</summary>
    /// <param name="builder">The endpoint.</param>
    /// <param name="batch">True for a multipart batch of images, false for one image (multipart or raw).</param>
    public static RouteHandlerBuilder WithImageUpload(this RouteHandlerBuilder builder, bool batch) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
            var form = batch
                ? new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["images"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = binary, Description = "One file part per image; any field names are accepted." },
                    },
                }
                : new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema> { [UploadReader.ImageField] = binary },
                    Required = new HashSet<string> { UploadReader.ImageField },
                };
            var content = new Dictionary<string, OpenApiMediaType> { ["multipart/form-data"] = new() { Schema = form } };
            if (!batch)
            {
                content["image/*"] = new OpenApiMediaType { Schema = binary };
            }

            operation.RequestBody = new OpenApiRequestBody { Required = true, Content = content, Description = "The image(s) to analyse." };
            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            {
                if (parameter.Name == "detect")
                {
                    parameter.Description = "auto (default): detect faces, and take a small near-square image with none as one face crop; always: detect, and report none when none is found; never: the whole image is one face.";
                    parameter.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Enum = [JsonValue.Create("auto"), JsonValue.Create("always"), JsonValue.Create("never")],
                        Default = JsonValue.Create("auto"),
                    };
                }
                else if (parameter.Name == "max_faces")
                {
                    parameter.Description = "Most faces analysed, the largest first (1 to the server's Server:MaxFaces).";
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" };
                }
                else if (parameter.Name == "detector")
                {
                    parameter.Description = $"The face detector for this request (default: the server's Server:Detector): {FaceDetectors.Choices}. Other registered names are accepted too.";
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String };
                }
            }

            return Task.CompletedTask;
        });

    /// <summary>Declares the problem responses every API route may give.</summary>
    public static RouteHandlerBuilder ProducesProblemKinds(this RouteHandlerBuilder builder)
    {
        foreach (var status in ProblemStatuses)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }
}
