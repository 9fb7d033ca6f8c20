using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Webhooks.Hosting;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.FunctionsHttp;

/// <summary>
/// The other parity tests run the functions over the standalone app's container. Here they run over
/// a container registered as functions/Program.cs registers the Functions app's
/// (<c>AddWebhookPipeline</c>; <c>ConfigureFunctionsWebApplication</c> and the telemetry need the real
/// Functions packages, and neither adds services that shape a response), so whatever the standalone
/// host registers on its own and the Functions app lacks shows up as a difference.
/// </summary>
[Collection(FunctionsHttpStorageTests.Name)]
public sealed class FunctionsContainerParityTests(AzuriteFixture storage) : IAsyncLifetime
{
    private PipelineApp app = null!;
    private IHost functionsContainer = null!;
    private HttpClient standalone = null!;
    private FunctionsHttpHost functions = null!;
    private readonly string org = ApiCalls.NewOrganization();

    public Task InitializeAsync()
    {
        app = new PipelineApp(storage);
        standalone = app.CreateApiClient();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:Storage:ConnectionString"] = storage.ConnectionString,
            ["Webhooks:Secrets:AllowDevelopmentStore"] = "true",
            ["Webhooks:Endpoints:AllowLoopback"] = "false",
        });
        builder.Services.AddLogging();
        builder.AddWebhookPipeline();
        functionsContainer = builder.Build();
        functions = new FunctionsHttpHost(functionsContainer.Services);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        standalone.Dispose();
        functionsContainer.Dispose();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task AJsonAnswerIsTheSameFromTheFunctionsAppsOwnContainer()
    {
        var created = await standalone.CreateWebhookAsync(org);

        await HostParity.AssertBothAnswerAlikeAsync(standalone, functions, ApiRequest.Get("/api/event-types"));
        var answer = await HostParity.AssertBothAnswerAlikeAsync(standalone, functions, ApiRequest.Get(Routes.Webhook(org, created.Id)));

        Assert.Equal(200, answer.Status);
    }

    [Theory]
    [InlineData("/webhooks/wh_0000000000000000000000000a")]
    [InlineData("/webhooks?limit=0")]
    public async Task AProblemHasTheSameMembersFromTheFunctionsAppsOwnContainer(string path)
    {
        var answer = await HostParity.AssertBothAnswerAlikeAsync(standalone, functions, ApiRequest.Get($"{Routes.Organization(org)}{path}"));

        Assert.Equal("application/problem+json", answer.ContentType);
    }
}
