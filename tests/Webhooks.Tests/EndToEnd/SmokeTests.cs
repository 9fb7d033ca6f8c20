using System.Net;
using System.Text;
using Webhooks.Signing;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.EndToEnd;

[Collection(DeliveryStorageTests.Name)]
public sealed class SmokeTests(AzuriteFixture storage) : IAsyncLifetime
{
    private readonly PipelineApp app = new(storage, settings: DeliveryTestSettings.With(), realClock: true);
    private readonly string org = ApiCalls.NewOrganization();
    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task AnEventIsDeliveredSignedAndRecorded()
    {
        var client = app.CreateApiClient();
        var created = await client.CreateWebhookAsync(org, receiver.Url.ToString(), name: "r");
        var secret = created.Secret!;
        var id = created.Id;
        var publish = await client.PostEventAsync(org, TestEvents.Envelope(org, id: "evt_1", data: new { platform = "ios" }));
        Assert.Equal(HttpStatusCode.Accepted, publish.StatusCode);
        await Eventually.HoldsAsync(() => !receiver.Received.IsEmpty, "the delivery");
        var got = Assert.Single(receiver.Received);
        Assert.True(WebhookVerifier.VerifyStandard(secret, got.Headers["webhook-id"], got.Headers["webhook-timestamp"], got.Headers["webhook-signature"], Encoding.UTF8.GetBytes(got.Body), DateTimeOffset.UtcNow));
        var list = await Eventually.ReturnsAsync(async () =>
        {
            var page = await (await client.GetAsync(Routes.Deliveries(org, id))).ReadJsonAsync();
            return page.GetProperty("data").GetArrayLength() == 1 && page.GetProperty("data")[0].GetProperty("status").GetString() == "succeeded" ? page.ToString() : null;
        }, "the history");
        Assert.Contains("evt_1", list);
    }
}
