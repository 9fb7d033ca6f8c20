using Microsoft.Extensions.Options;
using Webhooks.Management;
using Webhooks.Model;
using Webhooks.Sending;

namespace Webhooks.Tests.Management;

public sealed class EndpointUrlRulesTests
{
    private static readonly EndpointUrlRules Strict = Rules(allowLoopback: false);
    private static readonly EndpointUrlRules Development = Rules(allowLoopback: true);

    [Theory]
    [InlineData("https://example.com/hooks/webhook")]
    [InlineData("https://api.example.com:8443/in?token=abc")]
    [InlineData("https://8.8.8.8/x")]
    [InlineData("https://[2606:4700:4700::1111]/x")]
    public void GenericAcceptsPublicHttpsUrls(string value)
    {
        var error = Strict.Check(WebhookType.Generic, value, out var url, out var flavor);

        Assert.Null(error);
        Assert.Equal(new Uri(value), url);
        Assert.Null(flavor);
    }

    [Theory]
    [InlineData("http://example.com/hook")]
    [InlineData("/hook")]
    [InlineData("hook")]
    [InlineData("example.com/hook")]
    [InlineData("ftp://example.com/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("https://user:password@example.com/hook")]
    [InlineData("https://user@example.com/hook")]
    public void GenericRefusesUrlsThatAreNotPlainAbsoluteHttps(string value)
    {
        Assert.NotNull(Strict.Check(WebhookType.Generic, value, out _, out _));
    }

    [Fact]
    public void UrlsOfAtMost2048CharactersAreAccepted()
    {
        var value = Padded(EndpointUrlRules.MaxLength);

        Assert.Null(Strict.Check(WebhookType.Generic, value, out _, out _));
    }

    [Fact]
    public void UrlsOver2048CharactersAreRefused()
    {
        var value = Padded(EndpointUrlRules.MaxLength + 1);

        Assert.NotNull(Strict.Check(WebhookType.Generic, value, out var url, out _));
        Assert.Null(url);
    }

    [Theory]
    [InlineData("https://10.0.0.1/x")]
    [InlineData("https://192.168.1.1/x")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://168.63.129.16/x")]
    [InlineData("https://0.0.0.0/x")]
    [InlineData("https://[fd00::1]/x")]
    [InlineData("https://[fe80::1]/x")]
    [InlineData("https://[::ffff:10.0.0.1]/x")]
    [InlineData("https://169.254.169.254./latest/meta-data")]
    [InlineData("https://2852039166/latest/meta-data")]
    [InlineData("https://0xa9.0xfe.0xa9.0xfe/latest/meta-data")]
    [InlineData("https://0251.0376.0251.0376/latest/meta-data")]
    [InlineData("https://0xa9fea9fe./latest/meta-data")]
    [InlineData("https://10.0.0.1./x")]
    [InlineData("https://167772161/x")]
    [InlineData("https://[::ffff:169.254.169.254]/x")]
    [InlineData("https://[fd00:ec2::254]/x")]
    public void PrivateAndReservedAddressesAreRefusedInEverySpelling(string value)
    {
        Assert.Equal("must not point at a private, link-local or reserved address.", Strict.Check(WebhookType.Generic, value, out _, out _));
        Assert.Equal("must not point at a private, link-local or reserved address.", Development.Check(WebhookType.Generic, value, out _, out _));
    }

    [Theory]
    [InlineData("https://127.0.0.1/x")]
    [InlineData("https://127.0.0.1:5000/x")]
    [InlineData("http://127.0.0.1:5000/x")]
    [InlineData("https://localhost/x")]
    [InlineData("http://localhost:5000/x")]
    [InlineData("https://[::1]/x")]
    [InlineData("https://[::ffff:127.0.0.1]/x")]
    public void LoopbackIsRefusedByDefault(string value)
    {
        Assert.NotNull(Strict.Check(WebhookType.Generic, value, out _, out _));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/x")]
    [InlineData("http://localhost:5000/x")]
    [InlineData("https://127.0.0.1:5001/x")]
    [InlineData("http://[::1]:5000/x")]
    public void LoopbackIsAcceptedWhenAllowed(string value)
    {
        var error = Development.Check(WebhookType.Generic, value, out var url, out var flavor);

        Assert.Null(error);
        Assert.Equal(new Uri(value), url);
        Assert.Null(flavor);
    }

    [Theory]
    [InlineData("https://127.0.0.1./x")]
    [InlineData("https://localhost./x")]
    [InlineData("https://LOCALHOST/x")]
    [InlineData("https://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/x")]
    [InlineData("https://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54\u3002/x")]
    [InlineData("https://foo.localhost/x")]
    [InlineData("https://FOO.LOCALHOST./x")]
    [InlineData("https://localhost.localdomain/x")]
    [InlineData("https://2130706433/x")]
    [InlineData("https://2130706433./x")]
    [InlineData("https://0x7f.1/x")]
    [InlineData("https://0x7f.1./x")]
    [InlineData("https://0177.0.0.1/x")]
    [InlineData("https://\uff11\uff12\uff17.\uff10.\uff10.\uff11/x")]
    [InlineData("https://[::ffff:127.0.0.1]/x")]
    [InlineData("https://[::1]/x")]
    public void EverySpellingOfLoopbackIsRefusedByDefault(string value)
    {
        Assert.Equal("must not point at a loopback address.", Strict.Check(WebhookType.Generic, value, out _, out _));
    }

    [Theory]
    [InlineData("http://127.0.0.1.:5000/x")]
    [InlineData("http://localhost.:5000/x")]
    [InlineData("http://foo.localhost:5000/x")]
    [InlineData("http://localhost.localdomain:5000/x")]
    [InlineData("http://2130706433:5000/x")]
    public void EverySpellingOfLoopbackIsAcceptedWhenAllowed(string value)
    {
        Assert.Null(Development.Check(WebhookType.Generic, value, out _, out _));
    }

    [Theory]
    [InlineData("https://metadata/computeMetadata/v1/")]
    [InlineData("https://metadata./computeMetadata/v1/")]
    [InlineData("https://instance-data/latest/meta-data")]
    [InlineData("https://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("https://METADATA.GOOGLE.INTERNAL./computeMetadata/v1/")]
    [InlineData("https://metadata.goog/computeMetadata/v1/")]
    [InlineData("https://instance-data.ec2.internal/latest/meta-data")]
    [InlineData("https://intranet/hook")]
    [InlineData("https://printer.local/hook")]
    [InlineData("https://nas.localdomain/hook")]
    [InlineData("https://router.home.arpa/hook")]
    public void SingleLabelInternalAndMetadataNamesAreRefusedEvenWhenLoopbackIsAllowed(string value)
    {
        Assert.NotNull(Strict.Check(WebhookType.Generic, value, out _, out _));
        Assert.NotNull(Development.Check(WebhookType.Generic, value, out _, out _));
    }

    [Theory]
    [InlineData("https://example.com./hook")]
    [InlineData("https://B\u00fccher.example/hook")]
    [InlineData("https://xn--bcher-kva.example/hook")]
    [InlineData("https://hooks.example.co.uk/hook")]
    public void PublicNamesInEveryResolvableSpellingAreAccepted(string value)
    {
        Assert.Null(Strict.Check(WebhookType.Generic, value, out var url, out _));
        Assert.Equal(new Uri(value), url);
    }

    [Theory]
    [InlineData("https://exa_mple.com/hook")]
    [InlineData("https://-example.com/hook")]
    public void HostsThatAreNotValidNamesAreRefused(string value)
    {
        Assert.Equal("must have a valid host name.", Strict.Check(WebhookType.Generic, value, out _, out _));
    }

    [Theory]
    [InlineData(WebhookType.Slack)]
    [InlineData(WebhookType.Discord)]
    [InlineData(WebhookType.Teams)]
    public void LoopbackIsAcceptedForEveryTypeWhenAllowed(WebhookType type)
    {
        Assert.Null(Development.Check(type, "http://127.0.0.1:5000/receiver", out _, out _));
        Assert.NotNull(Strict.Check(type, "http://127.0.0.1:5000/receiver", out _, out _));
    }

    [Fact]
    public void AllowingLoopbackStillRefusesPlainHttpElsewhere()
    {
        Assert.NotNull(Development.Check(WebhookType.Generic, "http://example.com/x", out _, out _));
    }

    [Theory]
    [InlineData("https://hooks.slack.com/services/T000/B000/XXXXXXXX")]
    [InlineData("https://HOOKS.SLACK.COM/services/T000/B000/XXXXXXXX")]
    public void SlackAcceptsIncomingWebhookUrls(string value)
    {
        var error = Strict.Check(WebhookType.Slack, value, out var url, out var flavor);

        Assert.Null(error);
        Assert.NotNull(url);
        Assert.Null(flavor);
    }

    [Theory]
    [InlineData("https://example.com/services/T000/B000/XXXXXXXX")]
    [InlineData("https://hooks.slack.com/other/T000/B000/XXXXXXXX")]
    [InlineData("https://hooks.slack.com/")]
    [InlineData("https://hooks.slack.com.evil.example/services/T000/B000/XXXXXXXX")]
    [InlineData("https://evilhooks.slack.com/services/T000/B000/XXXXXXXX")]
    [InlineData("http://hooks.slack.com/services/T000/B000/XXXXXXXX")]
    [InlineData("https://discord.com/api/webhooks/1/abc")]
    public void SlackRefusesOtherUrls(string value)
    {
        Assert.NotNull(Strict.Check(WebhookType.Slack, value, out _, out _));
    }

    [Theory]
    [InlineData("https://discord.com/api/webhooks/123/abc")]
    [InlineData("https://discordapp.com/api/webhooks/123/abc")]
    [InlineData("https://ptb.discord.com/api/webhooks/123/abc")]
    [InlineData("https://canary.discordapp.com/api/webhooks/123/abc")]
    [InlineData("https://canary.discord.com/api/webhooks/123/abc")]
    public void DiscordAcceptsChannelWebhookUrls(string value)
    {
        var error = Strict.Check(WebhookType.Discord, value, out var url, out var flavor);

        Assert.Null(error);
        Assert.NotNull(url);
        Assert.Null(flavor);
    }

    [Theory]
    [InlineData("https://discord.com/channels/123/456")]
    [InlineData("https://discord.com/api/v10/webhooks/123/abc")]
    [InlineData("https://evil.discord.com/api/webhooks/123/abc")]
    [InlineData("https://discord.com.evil.example/api/webhooks/123/abc")]
    [InlineData("https://notdiscord.com/api/webhooks/123/abc")]
    [InlineData("https://example.com/api/webhooks/123/abc")]
    [InlineData("http://discord.com/api/webhooks/123/abc")]
    [InlineData("https://hooks.slack.com/services/T000/B000/XXXXXXXX")]
    public void DiscordRefusesOtherUrls(string value)
    {
        Assert.NotNull(Strict.Check(WebhookType.Discord, value, out _, out _));
    }

    [Theory]
    [InlineData("https://prod-12.westus.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=abc", TeamsFlavor.Workflow)]
    [InlineData("https://prod-12.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=abc", TeamsFlavor.Workflow)]
    [InlineData("https://default123.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke", TeamsFlavor.Workflow)]
    [InlineData("https://contoso.webhook.office.com/webhookb2/abc/IncomingWebhook/def/ghi", TeamsFlavor.Connector)]
    [InlineData("https://outlook.office.com/webhook/abc/IncomingWebhook/def/ghi", TeamsFlavor.Connector)]
    public void TeamsTellsWorkflowUrlsFromConnectorUrls(string value, TeamsFlavor expected)
    {
        var error = Strict.Check(WebhookType.Teams, value, out var url, out var flavor);

        Assert.Null(error);
        Assert.NotNull(url);
        Assert.Equal(expected, flavor);
    }

    [Theory]
    [InlineData("https://example.com/x")]
    [InlineData("https://logic.azure.com.evil.example/workflows/abc")]
    [InlineData("https://outlook.office.com/mail")]
    [InlineData("http://prod-12.westus.logic.azure.com/workflows/abc/triggers/manual/paths/invoke")]
    public void TeamsRefusesOtherUrls(string value)
    {
        var error = Strict.Check(WebhookType.Teams, value, out _, out var flavor);

        Assert.NotNull(error);
        Assert.Null(flavor);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/webhookb2/abc/IncomingWebhook/def", TeamsFlavor.Connector)]
    [InlineData("http://localhost:5000/teams/webhookb2/abc", TeamsFlavor.Connector)]
    [InlineData("http://127.0.0.1:5000/workflows/abc/triggers/manual/paths/invoke", TeamsFlavor.Workflow)]
    [InlineData("http://localhost:5000/teams", TeamsFlavor.Workflow)]
    public void TeamsOnAllowedLoopbackTakesItsFlavorFromThePath(string value, TeamsFlavor expected)
    {
        var error = Development.Check(WebhookType.Teams, value, out _, out var flavor);

        Assert.Null(error);
        Assert.Equal(expected, flavor);
    }

    [Fact]
    public void MaskKeepsSchemeAndHostAndTheLastFourCharacters()
    {
        var masked = EndpointUrlRules.Mask(new Uri("https://hooks.slack.com/services/T000/B000/SECRETTOKEN123"));

        Assert.StartsWith("https://hooks.slack.com/", masked, StringComparison.Ordinal);
        Assert.EndsWith("N123", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void MaskHidesTheTokenOfASlackUrl()
    {
        var masked = EndpointUrlRules.Mask(new Uri("https://hooks.slack.com/services/T000/B000/SECRETTOKEN123"));

        Assert.DoesNotContain("SECRETTOKEN", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("T000", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("B000", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void MaskTakesTheTailFromTheQuery()
    {
        var masked = EndpointUrlRules.Mask(new Uri("https://prod-12.westus.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=SECRETSIGNATURE"));

        Assert.StartsWith("https://prod-12.westus.logic.azure.com/", masked, StringComparison.Ordinal);
        Assert.EndsWith("TURE", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETSIG", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("workflows", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void MaskShowsNothingOfAVeryShortPath()
    {
        var masked = EndpointUrlRules.Mask(new Uri("https://example.com/abc"));

        Assert.DoesNotContain("abc", masked, StringComparison.Ordinal);
        Assert.StartsWith("https://example.com/", masked, StringComparison.Ordinal);
    }

    private static EndpointUrlRules Rules(bool allowLoopback) =>
        new(Options.Create(new EndpointOptions { AllowLoopback = allowLoopback }));

    private static string Padded(int length)
    {
        const string start = "https://example.com/";
        return start + new string('a', length - start.Length);
    }
}
