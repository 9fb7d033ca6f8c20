using Azure;
using Azure.Data.Tables;
using Webhooks.Storage;

namespace Webhooks.Protection;

/// <summary>Endpoint states: one row per webhook (partition = organization, row = webhook id), written only conditionally.</summary>
public sealed class EndpointStateStore(TableProvider tables)
{
    /// <summary>The endpoint's state, or a fresh one (no ETag) when none was recorded yet.</summary>
    public async Task<EndpointState> GetAsync(string organizationId, string webhookId, CancellationToken cancellationToken)
    {
        var table = await tables.EndpointsAsync(cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(organizationId, webhookId, cancellationToken: cancellationToken);
        return row.HasValue ? FromRow(row.Value!) : EndpointState.Fresh(organizationId, webhookId);
    }

    /// <summary>The recorded states of an organization's webhooks, by webhook id.</summary>
    public async Task<IReadOnlyDictionary<string, EndpointState>> ListAsync(string organizationId, CancellationToken cancellationToken)
    {
        var table = await tables.EndpointsAsync(cancellationToken);
        var states = new Dictionary<string, EndpointState>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {organizationId}"), cancellationToken: cancellationToken))
        {
            states[row.RowKey] = FromRow(row);
        }
        return states;
    }

    /// <summary>Writes <paramref name="state"/> if the row is still as it was read (created if it was fresh); null when another host changed it first.</summary>
    public async Task<EndpointState?> TryWriteAsync(EndpointState state, CancellationToken cancellationToken)
    {
        var table = await tables.EndpointsAsync(cancellationToken);
        try
        {
            var response = state.ETag.Length == 0
                ? await table.AddEntityAsync(ToRow(state), cancellationToken)
                : await table.UpdateEntityAsync(ToRow(state), new ETag(state.ETag), TableUpdateMode.Replace, cancellationToken);
            return state with { ETag = response.Headers.ETag?.ToString() ?? "" };
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return null;
        }
    }

    /// <summary>Forgets a deleted webhook's endpoint.</summary>
    public async Task DeleteAsync(string organizationId, string webhookId, CancellationToken cancellationToken)
    {
        var table = await tables.EndpointsAsync(cancellationToken);
        await table.DeleteEntityAsync(organizationId, webhookId, ETag.All, cancellationToken);
    }

    private static TableEntity ToRow(EndpointState s) => new(s.OrganizationId, s.WebhookId)
    {
        ["NextSendAt"] = s.NextSendAt,
        ["LastWakeAt"] = s.LastWakeAt,
        ["SlowedRate"] = s.SlowedRate,
        ["SlowedAt"] = s.SlowedAt,
        ["PausedUntil"] = s.PausedUntil,
        ["ConsecutiveFailures"] = s.ConsecutiveFailures,
        ["CircuitOpenedAt"] = s.CircuitOpenedAt,
        ["NextProbeAt"] = s.NextProbeAt,
        ["ProbeIntervalTicks"] = s.ProbeInterval?.Ticks,
        ["ProbeOutUntil"] = s.ProbeOutUntil,
    };

    private static EndpointState FromRow(TableEntity row) => new()
    {
        OrganizationId = row.PartitionKey,
        WebhookId = row.RowKey,
        NextSendAt = row.GetDateTimeOffset("NextSendAt"),
        LastWakeAt = row.GetDateTimeOffset("LastWakeAt"),
        SlowedRate = row.GetDouble("SlowedRate"),
        SlowedAt = row.GetDateTimeOffset("SlowedAt"),
        PausedUntil = row.GetDateTimeOffset("PausedUntil"),
        ConsecutiveFailures = row.GetInt32("ConsecutiveFailures") ?? 0,
        CircuitOpenedAt = row.GetDateTimeOffset("CircuitOpenedAt"),
        NextProbeAt = row.GetDateTimeOffset("NextProbeAt"),
        ProbeInterval = row.GetInt64("ProbeIntervalTicks") is { } ticks ? TimeSpan.FromTicks(ticks) : null,
        ProbeOutUntil = row.GetDateTimeOffset("ProbeOutUntil"),
        ETag = row.ETag.ToString(),
    };
}
