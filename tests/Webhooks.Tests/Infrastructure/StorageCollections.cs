namespace Webhooks.Tests.Infrastructure;

// The storage tests in a few collections by feature area, balanced by measured duration. xUnit runs a
// collection's classes one after another and different collections side by side, each collection with
// an Azurite of its own (a collection fixture is one per collection; starting one costs about 3 s of processor time),
// so no two tests that run at once share a table or queue they did not make for themselves.

/// <summary>The ingestion and delivery API: events, fan-out, history, resend, recovery, poison messages.</summary>
[CollectionDefinition(Name)]
public sealed class StorageTests : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "storage: api";
}

/// <summary>Webhook management and its secrets, and the API fuzz run.</summary>
[CollectionDefinition(Name)]
public sealed class ManagementStorageTests : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "storage: management";
}

/// <summary>The Functions app's HTTP API against the standalone host's.</summary>
[CollectionDefinition(Name)]
public sealed class FunctionsHttpStorageTests : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "storage: functions http";
}

/// <summary>Deliveries end to end on the standalone host: bodies, signatures, retries, refusals, several hosts.</summary>
[CollectionDefinition(Name)]
public sealed class DeliveryStorageTests : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "storage: deliveries";
}

/// <summary>The Durable path on the Functions host stand-in.</summary>
[CollectionDefinition(Name)]
public sealed class DurableStorageTests : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "storage: durable";
}

/// <summary>Hosts killed mid-flight and restarted: each runs child processes for a minute or two.</summary>
[CollectionDefinition(Name)]
public sealed class CrashStorageTests : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "storage: crash";
}

/// <summary>The dashboard in a real browser: each test starts the standalone host on Kestrel and a Chromium.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardStorageTests : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "storage: dashboard";
}
