namespace Webhooks.Model;

/// <summary>The request cannot be carried out in the resource's present state (answered 409 with <see cref="Title"/>).</summary>
public sealed class ConflictException(string title, string detail) : Exception(detail)
{
    public string Title { get; } = title;
}
