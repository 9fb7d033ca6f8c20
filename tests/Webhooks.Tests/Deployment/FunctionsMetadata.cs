using System.Text.Json;

namespace Webhooks.Tests.Deployment;

/// <summary>One function as the Worker SDK generated it into <c>functions.metadata</c>, which the Functions host reads to index the app.</summary>
public sealed record FunctionEntry(string Name, string EntryPoint, IReadOnlyList<JsonElement> Bindings)
{
    public JsonElement Trigger => Bindings.Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    public IEnumerable<string> BindingTypes => Bindings.Select(b => b.GetProperty("type").GetString()!);
}

/// <summary>The generated <c>functions.metadata</c> and <c>extensions.json</c> of the Functions app's build (copied into the test output with it).</summary>
public static class FunctionsMetadata
{
    public static IReadOnlyList<FunctionEntry> Functions { get; } = Load();

    public static FunctionEntry Function(string name) => Functions.Single(f => f.Name == name);

    public static JsonElement Extensions => JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "extensions.json"))).RootElement;

    private static List<FunctionEntry> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        Assert.True(File.Exists(path), "functions.metadata is not in the build output: the Worker SDK did not generate it.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.EnumerateArray().Select(f => new FunctionEntry(
            f.GetProperty("name").GetString()!,
            f.GetProperty("entryPoint").GetString()!,
            [.. f.GetProperty("bindings").EnumerateArray().Select(b => b.Clone())]))];
    }
}
