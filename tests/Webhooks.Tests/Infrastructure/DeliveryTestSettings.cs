namespace Webhooks.Tests.Infrastructure;

/// <summary>Settings for delivery tests: loopback receivers allowed, and a retry schedule scaled down from hours to seconds.</summary>
public static class DeliveryTestSettings
{
    public static Dictionary<string, string?> With(params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Webhooks:Endpoints:AllowLoopback"] = "true",
            ["Webhooks:Retry:Schedule:0"] = "00:00:00",
            ["Webhooks:Retry:Schedule:1"] = "00:00:01",
            ["Webhooks:Retry:Schedule:2"] = "00:00:01",
            ["Webhooks:Sending:Timeout"] = "00:00:05",
            ["Webhooks:Delivery:ActivityFlushInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }
        return settings;
    }
}
