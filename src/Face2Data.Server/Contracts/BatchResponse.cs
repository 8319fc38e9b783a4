using Microsoft.AspNetCore.Mvc;

namespace Face2Data.Server.Contracts;

/// <summary>The answer to <c>POST /v1/analyze/batch</c>: one item per uploaded image, in upload order.</summary>
/// <param name="Results">Per-image results or errors.</param>
/// <param name="Model">The model that answered.</param>
/// <param name="TotalMs">Milliseconds the whole request took on the server.</param>
public sealed record BatchResponse(IReadOnlyList<BatchItemResponse> Results, ModelInfoResponse Model, double TotalMs);

/// <summary>One image of a batch: its analysis, or the problem that stopped it.</summary>
/// <param name="Index">Position of the image in the request, from 0.</param>
/// <param name="Name">The multipart field name the image came in.</param>
/// <param name="Analysis">The analysis, when the image could be read.</param>
/// <param name="Error">An RFC 9457 problem saying why the image was refused, otherwise.</param>
public sealed record BatchItemResponse(int Index, string Name, AnalysisResponse? Analysis, ProblemDetails? Error);
