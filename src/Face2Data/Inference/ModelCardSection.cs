using System.Text.Json.Nodes;

namespace Face2Data.Inference;

/// <summary>An extra part of a model card, such as its training record or test evaluation.</summary>
/// <param name="Key">Property name in the JSON card, such as <c>training</c>.</param>
/// <param name="Title">Heading in the Markdown card.</param>
/// <param name="Markdown">Body of the Markdown section (headings inside should start at level 3).</param>
/// <param name="Json">The same facts as JSON; null leaves the JSON card without this section.</param>
public sealed record ModelCardSection(string Key, string Title, string Markdown, JsonNode? Json = null);
