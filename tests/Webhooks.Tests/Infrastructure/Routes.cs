namespace Webhooks.Tests.Infrastructure;

/// <summary>The API's paths, built in one place; literal paths stay only in tests whose subject is the route itself.</summary>
public static class Routes
{
    public static string Organization(string org) => $"/api/orgs/{org}";

    public static string Events(string org) => $"{Organization(org)}/events";

    public static string Webhooks(string org) => $"{Organization(org)}/webhooks";

    public static string Webhook(string org, string webhook) => $"{Webhooks(org)}/{webhook}";

    public static string RegenerateSecret(string org, string webhook) => $"{Webhook(org, webhook)}/secret/regenerate";

    public static string RevokePreviousSecret(string org, string webhook) => $"{Webhook(org, webhook)}/secret/revoke-previous";

    public static string TestPing(string org, string webhook) => $"{Webhook(org, webhook)}/test";

    public static string Recover(string org, string webhook) => $"{Webhook(org, webhook)}/recover";

    public static string Deliveries(string org, string webhook) => $"{Webhook(org, webhook)}/deliveries";

    public static string Delivery(string org, string webhook, string delivery) => $"{Deliveries(org, webhook)}/{delivery}";

    public static string Resend(string org, string webhook, string delivery) => $"{Delivery(org, webhook, delivery)}/resend";

    public static string Organizations => "/api/orgs";

    public static string Stats(string org, string webhook) => $"{Webhook(org, webhook)}/stats";

    public static string EventTypes => "/api/event-types";

    public static string EventSchema => "/api/event-types/schema";
}
