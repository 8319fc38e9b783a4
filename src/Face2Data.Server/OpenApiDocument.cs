using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Face2Data.Server;

/// <summary>The OpenAPI document's title and description, served at <c>/openapi/v1.json</c> and shown by <c>/api.html</c>.</summary>
internal static class OpenApiDocument
{
    /// <summary>Sets the document's information.</summary>
    public static void Configure(OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Face2Data API",
                Version = "v1",
                Description = "Finds faces in images and predicts the attributes of the served model's schema (age, gender, race, …). "
                    + "Errors are RFC 9457 problems whose type is one of: "
                    + string.Join(", ", ProblemKind.All.Select(k => $"{k.Slug} ({k.Status})"))
                    + $", each under {ProblemKind.TypePrefix}.",
            };
            return Task.CompletedTask;
        });
    }
}
