using System.Net;
using Webhooks.Tests.FunctionsHttp;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Portal;

/// <summary>
/// Both hosts over one standalone app (fake clock, Azurite, a key ring table of its own): an operator
/// client with the API key, the standalone host without any key, and the Functions app's HTTP functions.
/// </summary>
public sealed class PortalWorld : IAsyncDisposable
{
    public PortalWorld(AzuriteFixture storage, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Webhooks:Portal:KeysTable"] = "pk" + Guid.NewGuid().ToString("N")[..12] };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        App = new PipelineApp(storage, settings: all);
        Operator = App.CreateApiClient();
        Anonymous = App.CreateClient();
        Functions = new FunctionsHttpHost(App.Services);
    }

    public PipelineApp App { get; }

    /// <summary>The standalone host with the API key.</summary>
    public HttpClient Operator { get; }

    /// <summary>The standalone host with no credential of its own: each request brings its own.</summary>
    public HttpClient Anonymous { get; }

    public FunctionsHttpHost Functions { get; }

    public string Org { get; } = ApiCalls.NewOrganization();

    public static string Portal(string org) => $"/api/portal/orgs/{org}";

    public static string PortalWebhooks(string org) => $"{Portal(org)}/webhooks";

    public static string PortalWebhook(string org, string webhook) => $"{PortalWebhooks(org)}/{webhook}";

    public static string Sessions(string org) => $"{Routes.Organization(org)}/portal-sessions";

    /// <summary>A portal session of <paramref name="org"/> asked for by the operator, its token returned.</summary>
    public async Task<string> SessionAsync(string org, string permission = "read", int? lifetimeMinutes = null)
    {
        var body = lifetimeMinutes is { } minutes ? (object)new { permission, lifetimeMinutes = minutes } : new { permission };
        var answer = await Operator.SendAsync(ApiRequest.Json("POST", Sessions(org), body));
        Assert.True(answer.Status == (int)HttpStatusCode.Created, $"session not created: {answer}");
        return answer.Text("token")!;
    }

    /// <summary>Sends <paramref name="request"/> with <paramref name="token"/> as its bearer to both hosts and asserts they answer alike; returns the standalone's answer.</summary>
    public Task<ApiAnswer> BothAsync(ApiRequest request, string? token) =>
        HostParity.AssertBothAnswerAlikeAsync(Anonymous, Functions, token is null ? request : request.WithHeader("Authorization", "Bearer " + token));

    /// <summary>Sends <paramref name="request"/> with <paramref name="token"/> to both hosts; their answers, standalone first.</summary>
    public async Task<(ApiAnswer Standalone, ApiAnswer Functions)> EachAsync(ApiRequest request, string token)
    {
        var authorized = request.WithHeader("Authorization", "Bearer " + token);
        return (await Anonymous.SendAsync(authorized), await Functions.SendAsync(authorized));
    }

    public async ValueTask DisposeAsync()
    {
        Operator.Dispose();
        Anonymous.Dispose();
        await App.DisposeAsync();
    }
}
