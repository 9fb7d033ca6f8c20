using Webhooks.Model;

namespace Webhooks.Tests.Model;

public sealed class ResourceIdsTests
{
    [Fact]
    public void NewWebhookIdsHaveTheWebhookPrefix()
    {
        var id = ResourceIds.NewWebhookId();

        Assert.StartsWith("wh_", id, StringComparison.Ordinal);
    }

    [Fact]
    public void NewWebhookIdsAreWellFormed()
    {
        for (var i = 0; i < 1000; i++)
        {
            var id = ResourceIds.NewWebhookId();
            Assert.True(ResourceIds.IsWellFormedWebhookId(id), id);
        }
    }

    [Fact]
    public void NewWebhookIdsAreUniqueOverTenThousandDraws()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => ResourceIds.NewWebhookId()).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(10_000, ids.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wh_")]
    [InlineData("0123456789abcdefghjkmnpqrs")]
    [InlineData("wx_0123456789abcdefghjkmnpqrs")]
    [InlineData("wh_0123456789abcdefghjkmnpqr")]
    [InlineData("wh_0123456789abcdefghjkmnpqrst")]
    [InlineData("WH_0123456789abcdefghjkmnpqrs")]
    [InlineData("wh_0123456789ABCDEFGHJKMNPQRS")]
    [InlineData("wh_0123456789abcdefghjkmnpq/s")]
    [InlineData("wh_0123456789abcdefghjkmnpqrs\n")]
    [InlineData(" wh_0123456789abcdefghjkmnpqrs")]
    public void MalformedWebhookIdsAreRecognised(string? value)
    {
        Assert.False(ResourceIds.IsWellFormedWebhookId(value));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("7")]
    [InlineData("acme")]
    [InlineData("Acme-Corp_2")]
    [InlineData("org_123-ABC")]
    [InlineData("0rg-")]
    [InlineData("x_")]
    public void OrganizationIdsOfLettersDigitsDashesAndUnderscoresAreValid(string value)
    {
        Assert.True(ResourceIds.IsValidOrganizationId(value));
    }

    [Fact]
    public void OrganizationIdsOfSixtyFourCharactersAreValid()
    {
        Assert.True(ResourceIds.IsValidOrganizationId("a" + new string('-', 62) + "z"));
        Assert.True(ResourceIds.IsValidOrganizationId(new string('9', 64)));
    }

    [Fact]
    public void OrganizationIdsOfSixtyFiveCharactersAreInvalid()
    {
        Assert.False(ResourceIds.IsValidOrganizationId(new string('a', 65)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("org/one")]
    [InlineData("org#one")]
    [InlineData("org?one")]
    [InlineData("org\\one")]
    [InlineData("org one")]
    [InlineData(" org")]
    [InlineData("org ")]
    [InlineData("org'one")]
    [InlineData("org\"one")]
    [InlineData("-org")]
    [InlineData("_org")]
    [InlineData("org.one")]
    [InlineData("org\n")]
    [InlineData("org\r\n")]
    [InlineData("\u00e9tude")]
    public void OrganizationIdsWithOtherCharactersOrALeadingSeparatorAreInvalid(string? value)
    {
        Assert.False(ResourceIds.IsValidOrganizationId(value));
    }
}
