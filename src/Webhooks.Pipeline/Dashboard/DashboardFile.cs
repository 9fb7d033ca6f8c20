namespace Webhooks.Dashboard;

/// <summary>One file of the page as served: its bytes, content type and entity tag.</summary>
public sealed record DashboardFile(string Path, byte[] Content, string ContentType, string ETag);
