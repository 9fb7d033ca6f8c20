using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Webhooks.FunctionsHostStandIn;

/// <summary>One <c>[Function]</c> method of the app and the attribute of its trigger parameter.</summary>
public sealed record FunctionDefinition(string Name, MethodInfo Method, ParameterInfo TriggerParameter, Attribute Trigger)
{
    public override string ToString() => $"{Name} ({Trigger.GetType().Name})";
}

/// <summary>
/// The app's functions as the Functions host indexes them: every method with <c>[Function]</c>, by the
/// attribute on its trigger parameter. The stand-in reads the app's own attributes, so it runs whatever
/// functions the app declares, under the names the app gives them.
/// </summary>
public sealed class FunctionCatalog(IReadOnlyList<FunctionDefinition> functions)
{
    public IReadOnlyList<FunctionDefinition> Functions { get; } = functions;

    public IEnumerable<(FunctionDefinition Function, T Trigger)> WithTrigger<T>() where T : Attribute =>
        Functions.Where(f => f.Trigger is T).Select(f => (f, (T)f.Trigger));

    public static FunctionCatalog Of(Assembly assembly) =>
        new([.. assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .Select(m => Define(m, m.GetCustomAttribute<FunctionAttribute>()!.Name))]);

    private static FunctionDefinition Define(MethodInfo method, string name)
    {
        var triggers = method.GetParameters()
            .SelectMany(p => p.GetCustomAttributes().Where(IsTrigger).Select(a => (Parameter: p, Attribute: a)))
            .ToList();
        if (triggers.Count != 1)
        {
            throw new InvalidOperationException($"Function {name} ({method.DeclaringType?.Name}.{method.Name}) has {triggers.Count} trigger parameters; a function has exactly one.");
        }
        return new FunctionDefinition(name, method, triggers[0].Parameter, triggers[0].Attribute);
    }

    private static bool IsTrigger(Attribute attribute) =>
        attribute is HttpTriggerAttribute or QueueTriggerAttribute or OrchestrationTriggerAttribute or ActivityTriggerAttribute;
}
