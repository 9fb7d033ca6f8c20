using Webhooks.Tests.Api;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.FunctionsHttp;

/// <summary>
/// Events that are not valid text, carry a field of the wrong JSON type, an id with invisible
/// control characters, an oversized type, or a property named twice are bad input in both hosts: the same 400 naming the
/// field (never a 500, never accepted as if the field were absent), and nothing is queued.
/// </summary>
[Collection(FunctionsHttpStorageTests.Name)]
public sealed class EventInputParityTests(AzuriteFixture storage) : IAsyncLifetime
{
    private ParityWorld w = null!;

    public Task InitializeAsync()
    {
        w = new ParityWorld(new PipelineApp(storage, settings: new Dictionary<string, string?> { ["Webhooks:Driver:Enabled"] = "false" }));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await w.DisposeAsync();

    [Theory]
    [InlineData("lone-surrogate-id")]
    [InlineData("lone-surrogate-organization-name")]
    [InlineData("lone-surrogate-project")]
    [InlineData("lone-surrogate-message")]
    [InlineData("lone-surrogate-data")]
    [InlineData("invalid-utf8-id")]
    [InlineData("invalid-utf8-organization-name")]
    [InlineData("invalid-utf8-project")]
    [InlineData("invalid-utf8-message")]
    [InlineData("invalid-utf8-data")]
    [InlineData("wrong-type-project")]
    [InlineData("wrong-type-message")]
    [InlineData("wrong-type-id")]
    [InlineData("wrong-type-organization-name")]
    [InlineData("bidi-override-id")]
    [InlineData("control-character-id")]
    [InlineData("huge-type")]
    [InlineData("duplicate-id")]
    public async Task ABadEventIsTheSame400NamingTheFieldInBothHosts(string fault)
    {
        var field = PoisonEventTests.FieldOf[fault];
        var request = new ApiRequest("POST", Routes.Events(w.Org), PoisonEventTests.BadEventBytes(fault, w.Org), "application/json");

        var answer = await w.AssertBothAnswerAlikeAsync(request);

        Assert.True(answer.Status == 400, $"{fault}: {answer.Status} {answer.Body}");
        Assert.NotNull(answer.Json!["errors"]![field]);
        // The answer quotes no oversized input back.
        Assert.True(answer.Body.Length < 2000, answer.Body[..Math.Min(answer.Body.Length, 500)]);
        var queue = await ApiTestHelpers.RawEventsQueueAsync(storage, w.App);
        Assert.Empty((await queue.PeekMessagesAsync(32)).Value);
    }
}
