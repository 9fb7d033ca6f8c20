using System.Globalization;
using System.Text;
using Webhooks.Secrets;
using Webhooks.Signing;

namespace Webhooks.Tests.Signing;

/// <summary>
/// The receiver helper gets its inputs from request headers a stranger controls: whatever they
/// hold, it answers true or false and never throws.
/// </summary>
public sealed class WebhookVerifierTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"evt_1"}""");
    private static readonly string Secret = SigningSecret.Generate();

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("-1")]
    [InlineData("99999999999999")]
    [InlineData("-99999999999999")]
    [InlineData("9223372036854775807")]
    [InlineData("99999999999999999999999")]
    public void AMalformedOrOutOfRangeTimestampIsRefusedRatherThanThrown(string timestamp)
    {
        var now = DateTimeOffset.UtcNow;
        var header = WebhookSignatures.Standard(Secret, "dlv_1", now.ToUnixTimeSeconds(), Body);

        var exception = Record.Exception(() => Assert.False(WebhookVerifier.VerifyStandard(Secret, "dlv_1", timestamp, header, Body, now)));

        Assert.Null(exception);
    }

    [Fact]
    public void AValidSignatureAmongGarbageCandidatesIsAccepted()
    {
        var now = DateTimeOffset.UtcNow;
        var seconds = now.ToUnixTimeSeconds();
        var header = $"v1,bogus v2,{Convert.ToBase64String(new byte[32])} {WebhookSignatures.Standard(Secret, "dlv_1", seconds, Body)}";

        Assert.True(WebhookVerifier.VerifyStandard(Secret, "dlv_1", seconds.ToString(CultureInfo.InvariantCulture), header, Body, now));
        Assert.True(WebhookVerifier.VerifyHex(Secret, $"sha256=00, {WebhookSignatures.Hex(Secret, Body).ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal)}", Body));
    }
}
