using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.FunctionsHttp;

/// <summary>A parity test's world: one standalone app over Azurite, an API client to it, the Functions app's HTTP functions over the same services, and a fresh organization.</summary>
public sealed class ParityWorld : IAsyncDisposable
{
    public ParityWorld(PipelineApp app)
    {
        App = app;
        Standalone = app.CreateApiClient();
        Functions = new FunctionsHttpHost(app.Services);
    }

    public PipelineApp App { get; }

    /// <summary>The standalone host, with the API key.</summary>
    public HttpClient Standalone { get; }

    /// <summary>The Functions app's HTTP functions, invoked in process.</summary>
    public FunctionsHttpHost Functions { get; }

    public string Org { get; } = ApiCalls.NewOrganization();

    /// <summary>The webhooks collection of this world's organization.</summary>
    public string Webhooks => Routes.Webhooks(Org);

    public async ValueTask DisposeAsync()
    {
        Standalone.Dispose();
        await App.DisposeAsync();
    }
}
