using System.Reflection;

namespace Webhooks.FunctionsHostStandIn;

/// <summary>
/// Calls a function as the isolated worker does: an instance of its class made from the invocation's
/// service scope (function classes are not registered; their constructor parameters are), its
/// parameters bound by the caller, and its result awaited whatever its task shape.
/// </summary>
public static class FunctionInvoker
{
    public static async Task<object?> InvokeAsync(FunctionDefinition function, IServiceProvider services, Func<ParameterInfo, object?> bind)
    {
        var method = function.Method;
        var instance = method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
        try
        {
            var returned = method.Invoke(instance, BindingFlags.DoNotWrapExceptions, binder: null, [.. method.GetParameters().Select(bind)], culture: null);
            switch (returned)
            {
                case Task task:
                    await task;
                    return task.GetType().IsGenericType ? task.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(task) : null;
                case ValueTask valueTask:
                    await valueTask;
                    return null;
                default:
                    return returned;
            }
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    /// <summary>What an awaited function hands back: the T of Task&lt;T&gt;, the type itself otherwise, object for a bare Task.</summary>
    public static Type ResultType(MethodInfo method)
    {
        var type = method.ReturnType;
        if (type == typeof(Task) || type == typeof(ValueTask) || type == typeof(void))
        {
            return typeof(object);
        }
        return type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>)
            ? type.GetGenericArguments()[0]
            : type;
    }

    /// <summary>A binding failure names the function and the parameter: the app declared something the stand-in does not provide.</summary>
    public static InvalidOperationException Unbound(FunctionDefinition function, ParameterInfo parameter) =>
        new($"The stand-in has no binding for parameter {parameter.ParameterType.Name} {parameter.Name} of function {function.Name}.");
}
