using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Webhooks.Model;

namespace Webhooks.Storage;

/// <summary>
/// Maps a <see cref="Webhook"/> to its table row: partition = organization, row = webhook id.
/// Lists are stored as JSON text; no column ever holds a secret value.
/// </summary>
internal static class WebhookRows
{
    public static TableEntity ToRow(Webhook webhook) => new(webhook.OrganizationId, webhook.Id)
    {
        ["Name"] = webhook.Name,
        ["Type"] = WireNames.Of(webhook.Type),
        ["TeamsFlavor"] = webhook.TeamsFlavor is { } flavor ? WireNames.Of(flavor) : null,
        ["Url"] = webhook.Url,
        ["DisplayUrl"] = webhook.DisplayUrl,
        ["Events"] = JsonSerializer.Serialize(webhook.Events.ToWire()),
        ["ProjectFilterMode"] = webhook.Projects.Mode.ToString(),
        ["ProjectFilterNames"] = JsonSerializer.Serialize(webhook.Projects.Projects),
        ["Enabled"] = webhook.Enabled,
        ["CreatedAt"] = webhook.CreatedAt,
        ["UpdatedAt"] = webhook.UpdatedAt,
        ["LastTriggeredAt"] = webhook.LastTriggeredAt,
        ["LastStatusCode"] = webhook.LastStatusCode,
        ["LastSuccessAt"] = webhook.LastSuccessAt,
        ["FailingSince"] = webhook.FailingSince,
        ["DisabledReason"] = webhook.DisabledReason,
        ["DisabledAt"] = webhook.DisabledAt,
        ["SigningVersion"] = webhook.Secrets.SigningVersion,
        ["RetiredSigningVersions"] = JsonSerializer.Serialize(webhook.Secrets.RetiredSigningVersions),
        ["UrlVersion"] = webhook.Secrets.UrlVersion,
    };

    public static Webhook FromRow(TableEntity row)
    {
        var type = WireNames.TryParse(row.GetString("Type"), out var parsed)
            ? parsed
            : throw new InvalidDataException($"Webhook row {row.RowKey} has an unknown type.");
        var mode = Enum.Parse<ProjectFilterMode>(row.GetString("ProjectFilterMode") ?? nameof(ProjectFilterMode.All));
        var names = Deserialize<string[]>(row, "ProjectFilterNames") ?? [];
        return new Webhook
        {
            OrganizationId = row.PartitionKey,
            Id = row.RowKey,
            Name = row.GetString("Name") ?? "",
            Type = type,
            TeamsFlavor = row.GetString("TeamsFlavor") is { } flavor ? WireNames.ParseTeamsFlavor(flavor) : null,
            Url = row.GetString("Url"),
            DisplayUrl = row.GetString("DisplayUrl") ?? "",
            Events = EventSubscription.FromWire(Deserialize<string[]>(row, "Events") ?? [EventSubscription.AllToken]),
            Projects = mode switch
            {
                ProjectFilterMode.Include => ProjectFilter.Include(names),
                ProjectFilterMode.Exclude => ProjectFilter.Exclude(names),
                _ => ProjectFilter.AllProjects,
            },
            Enabled = row.GetBoolean("Enabled") ?? false,
            CreatedAt = row.GetDateTimeOffset("CreatedAt") ?? row.Timestamp ?? DateTimeOffset.MinValue,
            UpdatedAt = row.GetDateTimeOffset("UpdatedAt") ?? row.Timestamp ?? DateTimeOffset.MinValue,
            LastTriggeredAt = row.GetDateTimeOffset("LastTriggeredAt"),
            // 0 is how a merged "no response" is written (tables hold no nulls to merge).
            LastStatusCode = row.GetInt32("LastStatusCode") is { } code and > 0 ? code : null,
            LastSuccessAt = row.GetDateTimeOffset("LastSuccessAt"),
            FailingSince = row.GetDateTimeOffset("FailingSince"),
            DisabledReason = row.GetString("DisabledReason"),
            DisabledAt = row.GetDateTimeOffset("DisabledAt"),
            Secrets = new SecretReferences
            {
                SigningVersion = row.GetString("SigningVersion"),
                RetiredSigningVersions = Deserialize<RetiredSecret[]>(row, "RetiredSigningVersions") ?? [],
                UrlVersion = row.GetString("UrlVersion"),
            },
            ETag = row.ETag.ToString(),
        };
    }

    private static T? Deserialize<T>(TableEntity row, string column) =>
        row.GetString(column) is { Length: > 0 } json ? JsonSerializer.Deserialize<T>(json) : default;

    public static ETag ETagOf(string? etag) => string.IsNullOrEmpty(etag) ? ETag.All : new ETag(etag);
}
