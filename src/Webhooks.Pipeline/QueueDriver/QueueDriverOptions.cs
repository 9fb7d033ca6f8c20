namespace Webhooks.QueueDriver;

/// <summary>Settings section <c>Webhooks:Driver</c>: the standalone host's queue consumers.</summary>
public sealed class QueueDriverOptions
{
    public const string Section = "Webhooks:Driver";

    /// <summary>Consume the events and delivery queues in this process (off: an API-only instance).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A message whose processing failed this many times goes to its poison queue, as the Functions trigger does.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>
    /// The pause between receives on a queue that had a message within the last second (a busy one is
    /// read again at once). Storage queues have no long poll, so this is the latency a new message
    /// waits for, on average half of it; each read is a billed storage transaction.
    /// </summary>
    public TimeSpan ActivePollingInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The longest pause between receives on an idle queue; a busy queue is read again at once.</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Event messages in hand at once. An event's message is held until its first attempts are
    /// recorded, so a slow endpoint pins the events that reach it for up to the sending timeout;
    /// room for many keeps other events flowing. Attempts themselves are bounded by the attempt slots.
    /// </summary>
    public int EventsInFlight { get; set; } = 64;

    /// <summary>Delivery step messages processed at once.</summary>
    public int StepsInFlight { get; set; } = 64;

    /// <summary>How long a fan-out waits for a free attempt slot (its webhook's and the host's) before handing the first attempt to the delivery queue.</summary>
    public TimeSpan InlineSlotWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a step waits for a free attempt slot before it is put off (short: a step waiting on a dead endpoint holds a place other steps could use).</summary>
    public TimeSpan StepSlotWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A step held back by its endpoint's protection whose turn is at most this far off waits for
    /// it in place, so the steps of one second reach the endpoint spaced out rather than together
    /// (queue visibility counts whole seconds).
    /// </summary>
    public TimeSpan HeldWaitInPlace { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a step is put off when its webhook is at its concurrency limit or another runner holds it.</summary>
    public TimeSpan BusyDelay { get; set; } = TimeSpan.FromSeconds(5);
}
