using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Webhooks.Api;

namespace Webhooks.Dashboard;

/// <summary>
/// Serves the dashboard's files for both hosts: the standalone host at <c>/</c> and <c>/portal</c>, the
/// Functions app at <c>/api/dashboard/</c> and <c>/api/dashboard/portal</c>. Both pages are the same
/// index.html (the script picks its mode from the path); assets live under <c>assets/</c> beside them.
/// </summary>
public sealed class DashboardPage(DashboardFiles files, IOptions<PortalOptions> portal)
{
    /// <summary>The portal's path, relative to the page's folder.</summary>
    public const string PortalPath = "portal";

    /// <summary>
    /// Answers <paramref name="path"/>, relative to the page's folder: empty for the operator page,
    /// <see cref="PortalPath"/> for the portal, <c>assets/…</c> for a file.
    /// </summary>
    public IResult Serve(HttpRequest request, string? path)
    {
        path ??= "";
        if (path.Length == 0 && !request.Path.Value!.EndsWith('/'))
        {
            // The page's assets are relative to its folder: /api/dashboard must become /api/dashboard/ to find them.
            return Results.Redirect(request.PathBase + request.Path + "/" + request.QueryString);
        }
        if ((path == PortalPath || path == PortalPath + "/") && request.Path.Value!.EndsWith('/'))
        {
            // And the other way for the portal: from /portal/ its relative assets would be looked for under /portal/assets/.
            return Results.Redirect(request.PathBase + request.Path.Value.TrimEnd('/') + request.QueryString);
        }
        var isPortal = path == PortalPath;
        var file = path.Length == 0 || isPortal ? files.Find(DashboardFiles.IndexPath) : path.StartsWith("assets/", StringComparison.Ordinal) ? files.Find(path) : null;
        return file is null ? ApiResults.NotFound($"File {path}") : new DashboardFileResult(file, PageSecurityHeaders.For(isPortal, portal.Value));
    }
}
