using Microsoft.AspNetCore.Http;

namespace Webhooks.Dashboard;

/// <summary>
/// A dashboard file with its security headers. Every file is revalidated on use (no-cache with an ETag,
/// 304 when unchanged): the files are small, and a new release's page and scripts then arrive together.
/// </summary>
internal sealed class DashboardFileResult(DashboardFile file, IReadOnlyList<KeyValuePair<string, string>> securityHeaders) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        foreach (var (name, value) in securityHeaders)
        {
            response.Headers[name] = value;
        }
        response.Headers.CacheControl = "no-cache";
        response.Headers.ETag = file.ETag;
        if (httpContext.Request.Headers.IfNoneMatch.Contains(file.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = file.ContentType;
        response.ContentLength = file.Content.Length;
        await response.Body.WriteAsync(file.Content, httpContext.RequestAborted);
    }
}
