namespace Face2Data.Server;

/// <summary>One image as uploaded: its bytes and the multipart field it came in (<c>body</c> for a raw upload).</summary>
/// <param name="Name">The multipart field name, or <c>body</c>.</param>
/// <param name="Bytes">The encoded image; its format is told from its bytes, never from the client's content type or file name.</param>
internal sealed record UploadedImage(string Name, byte[] Bytes);
