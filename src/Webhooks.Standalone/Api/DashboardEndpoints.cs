using Webhooks.Dashboard;

namespace Webhooks.Standalone.Api;

/// <summary>The dashboard page: the operator's at <c>/</c>, the customer portal at <c>/portal</c>, their files under <c>/assets</c>; each one call into the library's <see cref="DashboardPage"/>.</summary>
public static class DashboardEndpoints
{
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder routes)
    {
        var page = routes.MapGroup("").ExcludeFromDescription();
        page.MapGet("/", (HttpRequest request, DashboardPage dashboard) => dashboard.Serve(request, ""));
        page.MapGet("/" + DashboardPage.PortalPath, (HttpRequest request, DashboardPage dashboard) => dashboard.Serve(request, DashboardPage.PortalPath));
        page.MapGet("/assets/{**file}", (string? file, HttpRequest request, DashboardPage dashboard) => dashboard.Serve(request, "assets/" + file));
        return routes;
    }
}
