using Microsoft.Extensions.FileProviders;

namespace Face2Data.Server;

/// <summary>The server's middleware, in order.</summary>
public static class Face2DataPipeline
{
    /// <summary>
    /// Request metrics (outermost, so that every status is counted), problem responses for exceptions and bare
    /// statuses, security headers, the pages, routing, CORS, the rate limiter and request timeouts.
    /// </summary>
    public static WebApplication UseFace2DataPipeline(this WebApplication app)
    {
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.Use(AddSecurityHeaders);

        var pages = new EmbeddedFileProvider(typeof(Face2DataPipeline).Assembly, "wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = pages });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = pages });

        app.UseRouting();
        app.UseCors();
        app.UseRateLimiter();
        app.UseRequestTimeouts();
        return app;
    }

    // Everything the pages use is served from here, so the policy can forbid every other origin: no CDN, no tracking.
    private static Task AddSecurityHeaders(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob: mediastream:; "
            + "style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        return next(context);
    }
}
