using Webhooks.Model;

namespace Webhooks.Tests.Model;

/// <summary>Delivery ids are derived from (organization, event, webhook): the same inputs give the same id, others a different one.</summary>
public sealed class DeliveryIdTests
{
    [Fact]
    public void TheSameEventAndWebhookAlwaysGiveTheSameId()
    {
        Assert.Equal(ResourceIds.DeliveryId("org-1", "evt_1", "wh_1"), ResourceIds.DeliveryId("org-1", "evt_1", "wh_1"));
    }

    [Theory]
    [InlineData("org-2", "evt_1", "wh_1")]
    [InlineData("org-1", "evt_2", "wh_1")]
    [InlineData("org-1", "evt_1", "wh_2")]
    [InlineData("org-1evt_1", "", "wh_1")]
    [InlineData("org-1", "evt_1wh_1", "")]
    public void AnyDifferentPartGivesADifferentId(string organization, string eventId, string webhook)
    {
        Assert.NotEqual(ResourceIds.DeliveryId("org-1", "evt_1", "wh_1"), ResourceIds.DeliveryId(organization, eventId, webhook));
    }

    [Fact]
    public void IdsAreWellFormedAndDistinctOverManyInputs()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 2000; i++)
        {
            var id = ResourceIds.DeliveryId($"org-{i % 7}", $"evt_{i}", ResourceIds.NewWebhookId());
            Assert.True(ResourceIds.IsWellFormedDeliveryId(id), id);
            Assert.StartsWith("dlv_", id, StringComparison.Ordinal);
            Assert.Equal(30, id.Length);
            ids.Add(id);
        }
        Assert.Equal(2000, ids.Count);
    }

    [Theory]
    [InlineData("dlv_0123456789abcdefghjkmnpqrs", true)]
    [InlineData("dlv_0123456789abcdefghjkmnpqr", false)]
    [InlineData("DLV_0123456789abcdefghjkmnpqrs", false)]
    [InlineData("dlv_0123456789ABCDEFGHJKMNPQRS", false)]
    [InlineData("wh_0123456789abcdefghjkmnpqrst", false)]
    [InlineData("dlv_0123456789abcdefghjkmnpqrs\n", false)]
    public void OnlyTheDeliveryIdShapeIsWellFormed(string value, bool wellFormed)
    {
        Assert.Equal(wellFormed, ResourceIds.IsWellFormedDeliveryId(value));
    }
}
