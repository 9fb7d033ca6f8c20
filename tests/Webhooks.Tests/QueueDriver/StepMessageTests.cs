using System.Text;
using Webhooks.QueueDriver;

namespace Webhooks.Tests.QueueDriver;

/// <summary>Delivery step messages: base64 JSON on the queue, decoded back exactly; anything else is not a step.</summary>
public sealed class StepMessageTests
{
    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void AnEncodedStepDecodesToTheSameStep()
    {
        var step = new StepMessage("org-ü", "wh_1", "dlv_1", Run: 2, Attempt: 3, Claim: "message-7", Deferrals: 4);

        var text = step.Encode();

        Assert.Equal(step, StepMessage.TryDecode(text));
    }

    [Fact]
    public void TheQueueTextIsBase64OfCamelCaseJson()
    {
        var text = new StepMessage("org-1", "wh_1", "dlv_1", 1, 1).Encode();

        var json = Encoding.UTF8.GetString(Convert.FromBase64String(text));
        Assert.Contains("\"organizationId\":\"org-1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"deliveryId\":\"dlv_1\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void APlainJsonStepIsAccepted()
    {
        var step = StepMessage.TryDecode("""{"organizationId":"org-1","webhookId":"wh_1","deliveryId":"dlv_1","run":1,"attempt":2}""");

        Assert.Equal(new StepMessage("org-1", "wh_1", "dlv_1", 1, 2), step);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not a step")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("{\"organizationId\":")]
    [InlineData("""{"organizationId":5,"webhookId":"wh_1","deliveryId":"dlv_1","run":1,"attempt":1}""")]
    [InlineData("""{"organizationId":"","webhookId":"wh_1","deliveryId":"dlv_1","run":1,"attempt":1}""")]
    [InlineData("""{"organizationId":"org-1","webhookId":"wh_1","deliveryId":"dlv_1","run":0,"attempt":1}""")]
    [InlineData("""{"organizationId":"org-1","webhookId":"wh_1","deliveryId":"dlv_1","run":1,"attempt":0}""")]
    [InlineData("""{"organizationId":"org-1","webhookId":"wh_1","run":1,"attempt":1}""")]
    [InlineData("""{"organizationId":"org-1","webhookId":"wh_1","deliveryId":"dlv_1","run":"one","attempt":1}""")]
    public void MalformedTextIsNotAStep(string text)
    {
        Assert.Null(StepMessage.TryDecode(text));
        Assert.Null(StepMessage.TryDecode(Base64(text)));
    }

    [Fact]
    public void Base64OfBytesThatAreNotUtf8IsNotAStep()
    {
        // {"organizationId":"<0xFF>", ...}: the bytes decode from base64 but are not valid UTF-8.
        var json = Encoding.UTF8.GetBytes("""{"organizationId":"X","webhookId":"wh_1","deliveryId":"dlv_1","run":1,"attempt":1}""");
        json[Array.IndexOf(json, (byte)'X')] = 0xFF;

        Assert.Null(StepMessage.TryDecode(Convert.ToBase64String(json)));
    }
}
