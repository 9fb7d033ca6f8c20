using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Webhooks.Dashboard;

namespace Webhooks.Functions.Http;

/// <summary>
/// The dashboard page at <c>/api/dashboard/</c> (operator) and <c>/api/dashboard/portal</c> (customer portal),
/// from the library's <see cref="DashboardPage"/>, as the standalone host serves it at <c>/</c>. Anonymous: the
/// files are public and hold nothing secret; the API calls the page makes carry their own key or token.
/// </summary>
public sealed class DashboardFunction(DashboardPage dashboard)
{
    public const string Route = "dashboard/{*path}";

    /// <summary>Where this app serves the portal page (under the <c>api</c> route prefix), for the links portal sessions hand out.</summary>
    public const string PortalPath = "/api/dashboard/" + DashboardPage.PortalPath;

    [Function(nameof(Dashboard))]
    public IResult Dashboard([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest request, string? path) =>
        dashboard.Serve(request, path);
}
