using System.Text.Json;
using System.Text.Json.Serialization;

namespace Face2Data.Schema;

/// <summary>Writes and reads <see cref="HeadKind"/> as <c>"regression"</c> or <c>"categorical"</c>, wherever it appears in JSON.</summary>
public sealed class HeadKindJsonConverter() : JsonStringEnumConverter<HeadKind>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false);
