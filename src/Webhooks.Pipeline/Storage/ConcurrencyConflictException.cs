namespace Webhooks.Storage;

/// <summary>The row changed since it was read (or since the ETag the caller sent).</summary>
public sealed class ConcurrencyConflictException(string message, Exception? inner = null) : Exception(message, inner);
