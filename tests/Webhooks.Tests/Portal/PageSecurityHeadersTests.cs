using Webhooks.Api;

namespace Webhooks.Tests.Portal;

/// <summary>The dashboard page's headers: nothing but this host's own files, and framed only where allowed.</summary>
public sealed class PageSecurityHeadersTests
{
    private const string Policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; ";

    [Fact]
    public void TheOperatorPageMayNotBeFramedAtAll()
    {
        var headers = PageSecurityHeaders.For(portal: false, new PortalOptions { FrameAncestors = ["https://app.example.com"] });

        Assert.Equal(Policy + "frame-ancestors 'none'", Single(headers, "Content-Security-Policy"));
        Assert.Equal("nosniff", Single(headers, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Single(headers, "Referrer-Policy"));
    }

    [Fact]
    public void ThePortalMayBeFramedByThisHostAndTheConfiguredOrigins()
    {
        var only = PageSecurityHeaders.For(portal: true, new PortalOptions());
        var configured = PageSecurityHeaders.For(portal: true, new PortalOptions { FrameAncestors = ["https://app.example.com", "http://localhost:3000"] });

        Assert.Equal(Policy + "frame-ancestors 'self'", Single(only, "Content-Security-Policy"));
        Assert.Equal(Policy + "frame-ancestors 'self' https://app.example.com http://localhost:3000", Single(configured, "Content-Security-Policy"));
        Assert.Equal("nosniff", Single(configured, "X-Content-Type-Options"));
    }

    [Theory]
    [InlineData("https://app.example.com/portal")]
    [InlineData("https://app.example.com/")]
    [InlineData("http://app.example.com")]
    [InlineData("app.example.com")]
    [InlineData("https://app.example.com; script-src *")]
    [InlineData("*")]
    public void AFrameAncestorThatIsNotAnOriginIsRefused(string origin)
    {
        var problems = new PortalOptionsValidation().Validate(null, new PortalOptions { FrameAncestors = [origin] });

        Assert.True(problems.Failed);
        Assert.Contains("FrameAncestors", problems.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:04:59")]
    [InlineData("1.00:00:01")]
    public void ATokenLifetimeOutOfRangeIsRefused(string lifetime)
    {
        var problems = new PortalOptionsValidation().Validate(null, new PortalOptions { TokenLifetime = TimeSpan.Parse(lifetime, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.True(problems.Failed);
        Assert.Contains("TokenLifetime", problems.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidPortalSettingsPass()
    {
        var result = new PortalOptionsValidation().Validate(null, new PortalOptions
        {
            TokenLifetime = TimeSpan.FromHours(24),
            FrameAncestors = ["https://app.example.com", "https://app.example.com:8443", "http://localhost:5173"],
            PublicUrl = new Uri("https://webhooks.example.com"),
        });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    private static string Single(IReadOnlyList<KeyValuePair<string, string>> headers, string name) =>
        Assert.Single(headers, h => h.Key == name).Value;
}
