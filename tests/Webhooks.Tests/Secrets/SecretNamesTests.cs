using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Xunit;
using Webhooks.Model;
using Webhooks.Secrets;

namespace Webhooks.Tests.Secrets;

public sealed partial class SecretNamesTests
{
    private const string WebhookId = "wh_0123456789abcdefghjkmnpqrs";

    [Property]
    public bool NamesFollowKeyVaultRulesForAnyOrganizationId(NonNull<string> organizationId) =>
        IsKeyVaultName(SecretNames.Signing(organizationId.Get, WebhookId))
        && IsKeyVaultName(SecretNames.Url(organizationId.Get, WebhookId));

    [Property]
    public bool NamesFollowKeyVaultRulesForAnyUnicodeOrganizationId(UnicodeString organizationId)
    {
        var value = organizationId.Item ?? "";
        return IsKeyVaultName(SecretNames.Signing(value, WebhookId)) && IsKeyVaultName(SecretNames.Url(value, WebhookId));
    }

    [Property]
    public bool NamesFollowKeyVaultRulesForAnyNewWebhookId(NonNull<string> organizationId)
    {
        var webhookId = ResourceIds.NewWebhookId();
        return IsKeyVaultName(SecretNames.Signing(organizationId.Get, webhookId))
            && IsKeyVaultName(SecretNames.Url(organizationId.Get, webhookId));
    }

    [Theory]
    [InlineData("acme")]
    [InlineData("org_with_underscores")]
    [InlineData("")]
    [InlineData("../../secrets/other?x=1#y")]
    public void NamesFollowKeyVaultRulesForAwkwardOrganizationIds(string organizationId)
    {
        Assert.Matches(KeyVaultName(), SecretNames.Signing(organizationId, WebhookId));
        Assert.Matches(KeyVaultName(), SecretNames.Url(organizationId, WebhookId));
    }

    [Fact]
    public void NamesFollowKeyVaultRulesForASixtyFourCharacterOrganizationId()
    {
        var organizationId = "A" + new string('_', 31) + new string('z', 31) + "9";
        Assert.Equal(64, organizationId.Length);

        Assert.Matches(KeyVaultName(), SecretNames.Signing(organizationId, ResourceIds.NewWebhookId()));
        Assert.Matches(KeyVaultName(), SecretNames.Url(organizationId, ResourceIds.NewWebhookId()));
    }

    [Fact]
    public void SigningAndUrlSecretsHaveDifferentNames()
    {
        Assert.NotEqual(SecretNames.Signing("acme", WebhookId), SecretNames.Url("acme", WebhookId));
    }

    [Property]
    public bool SigningAndUrlSecretsHaveDifferentNamesForAnyOrganization(NonNull<string> organizationId) =>
        SecretNames.Signing(organizationId.Get, WebhookId) != SecretNames.Url(organizationId.Get, WebhookId);

    [Theory]
    [InlineData("acme", "globex")]
    [InlineData("acme", "Acme")]
    [InlineData("acme_1", "acme-1")]
    [InlineData("a", "b")]
    public void TwoOrganizationsWithTheSameWebhookIdGetDifferentNames(string first, string second)
    {
        Assert.NotEqual(SecretNames.Signing(first, WebhookId), SecretNames.Signing(second, WebhookId));
        Assert.NotEqual(SecretNames.Url(first, WebhookId), SecretNames.Url(second, WebhookId));
    }

    [Property]
    public bool DistinctOrganizationIdsGetDistinctNames(NonNull<string> first, NonNull<string> second) =>
        first.Get == second.Get
        || SecretNames.Signing(first.Get, WebhookId) != SecretNames.Signing(second.Get, WebhookId);

    [Fact]
    public void DifferentWebhooksOfOneOrganizationGetDifferentNames()
    {
        Assert.NotEqual(
            SecretNames.Signing("acme", ResourceIds.NewWebhookId()),
            SecretNames.Signing("acme", ResourceIds.NewWebhookId()));
    }

    [Property]
    public bool NamesAreDeterministic(NonNull<string> organizationId) =>
        SecretNames.Signing(organizationId.Get, WebhookId) == SecretNames.Signing(organizationId.Get, WebhookId)
        && SecretNames.Url(organizationId.Get, WebhookId) == SecretNames.Url(organizationId.Get, WebhookId);

    [Fact]
    public void NamesDoNotDependOnTheProcess()
    {
        // A name computed today must find the secret stored yesterday, by another instance.
        Assert.Equal("wh-822b33ad87c148a0-0123456789abcdefghjkmnpqrs-signing", SecretNames.Signing("acme", WebhookId));
        Assert.Equal("wh-822b33ad87c148a0-0123456789abcdefghjkmnpqrs-url", SecretNames.Url("acme", WebhookId));
    }

    [Fact]
    public void SigningSecretsHaveTheStandardWebhooksPrefix()
    {
        Assert.StartsWith("whsec_", SigningSecret.Generate(), StringComparison.Ordinal);
    }

    [Fact]
    public void SigningSecretsCarryExactlyThirtyTwoBytesInBase64()
    {
        var secret = SigningSecret.Generate();

        var bytes = Convert.FromBase64String(secret["whsec_".Length..]);

        Assert.Equal(32, bytes.Length);
    }

    [Fact]
    public void SigningSecretsDifferBetweenCalls()
    {
        Assert.NotEqual(SigningSecret.Generate(), SigningSecret.Generate());
    }

    private static bool IsKeyVaultName(string name) => KeyVaultName().IsMatch(name);

    [GeneratedRegex(@"^[0-9a-zA-Z-]{1,127}\z")]
    private static partial Regex KeyVaultName();
}
