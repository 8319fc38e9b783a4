using System.Net.Http.Headers;

namespace Face2Data.Server.Tests;

/// <summary>Request bodies for the upload routes.</summary>
internal static class Upload
{
    public static MultipartFormDataContent Multipart(byte[] bytes, string field = "image", string fileName = "face.jpg", string contentType = "image/jpeg")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, field, fileName } };
    }

    public static ByteArrayContent Raw(byte[] bytes, string? contentType = "image/jpeg")
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        return content;
    }

    public static MultipartFormDataContent Batch(params (string Field, byte[] Bytes)[] images)
    {
        var content = new MultipartFormDataContent();
        var i = 0;
        foreach (var (field, bytes) in images)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(file, field, $"image{i++}.bin");
        }

        return content;
    }
}
