// Compile-only shim (see README.md): public signatures of Microsoft.Azure.Functions.Worker 2.51.0,
// Worker.Extensions.Abstractions, Http.AspNetCore 2.1.0 and Storage.Queues 5.5.0. No behaviour.
#pragma warning disable
namespace Microsoft.Azure.Functions.Worker.Extensions.Abstractions
{
    public abstract class BindingAttribute : System.Attribute { }
    public abstract class TriggerBindingAttribute : BindingAttribute { }
    public abstract class InputBindingAttribute : BindingAttribute { }
    public abstract class OutputBindingAttribute : BindingAttribute { }
}

namespace Microsoft.Azure.Functions.Worker
{
    using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

    [System.AttributeUsage(System.AttributeTargets.Method)]
    public class FunctionAttribute : System.Attribute
    {
        public FunctionAttribute(string name) => Name = name;
        public string Name { get; }
    }

    public enum AuthorizationLevel { Anonymous = 0, User = 1, Function = 2, System = 3, Admin = 4 }

    public sealed class HttpTriggerAttribute : TriggerBindingAttribute
    {
        public HttpTriggerAttribute() { }
        public HttpTriggerAttribute(params string[] methods) => Methods = methods;
        public HttpTriggerAttribute(AuthorizationLevel authLevel) => AuthLevel = authLevel;
        public HttpTriggerAttribute(AuthorizationLevel authLevel, params string[] methods)
        {
            AuthLevel = authLevel;
            Methods = methods;
        }
        public string? Route { get; set; }
        public string[]? Methods { get; }
        public AuthorizationLevel AuthLevel { get; }
    }

    [System.AttributeUsage(System.AttributeTargets.Property)]
    public sealed class HttpResultAttribute : OutputBindingAttribute { }

    public sealed class QueueTriggerAttribute : TriggerBindingAttribute
    {
        public QueueTriggerAttribute(string queueName) => QueueName = queueName;
        public string QueueName { get; }
        public string? Connection { get; set; }
    }

    public sealed class QueueOutputAttribute : OutputBindingAttribute
    {
        public QueueOutputAttribute(string queueName) => QueueName = queueName;
        public string QueueName { get; }
        public string? Connection { get; set; }
    }

    public abstract class FunctionContext
    {
        public abstract string InvocationId { get; }
        public abstract System.IServiceProvider InstanceServices { get; set; }
        public virtual System.Threading.CancellationToken CancellationToken => throw new System.NotSupportedException();
    }

    public sealed class OrchestrationTriggerAttribute : TriggerBindingAttribute
    {
        public string? Orchestration { get; set; }
    }

    public sealed class ActivityTriggerAttribute : TriggerBindingAttribute
    {
        public string? Activity { get; set; }
    }

    public sealed class DurableClientAttribute : InputBindingAttribute
    {
        public string? TaskHub { get; set; }
        public string? ConnectionName { get; set; }
    }
}

namespace Microsoft.Azure.Functions.Worker.Builder
{
    public class FunctionsApplication
    {
        public static FunctionsApplicationBuilder CreateBuilder(string[] args) => throw new System.NotSupportedException();
    }

    public class FunctionsApplicationBuilder : Microsoft.Extensions.Hosting.IHostApplicationBuilder
    {
        private FunctionsApplicationBuilder() { }
        public Microsoft.Extensions.Configuration.IConfigurationManager Configuration => throw new System.NotSupportedException();
        public Microsoft.Extensions.Hosting.IHostEnvironment Environment => throw new System.NotSupportedException();
        public Microsoft.Extensions.Logging.ILoggingBuilder Logging => throw new System.NotSupportedException();
        public Microsoft.Extensions.Diagnostics.Metrics.IMetricsBuilder Metrics => throw new System.NotSupportedException();
        public System.Collections.Generic.IDictionary<object, object> Properties => throw new System.NotSupportedException();
        public Microsoft.Extensions.DependencyInjection.IServiceCollection Services => throw new System.NotSupportedException();
        public void ConfigureContainer<TContainerBuilder>(Microsoft.Extensions.DependencyInjection.IServiceProviderFactory<TContainerBuilder> factory, System.Action<TContainerBuilder>? configure = null) where TContainerBuilder : notnull => throw new System.NotSupportedException();
        public Microsoft.Extensions.Hosting.IHost Build() => throw new System.NotSupportedException();
    }
}

namespace Microsoft.Extensions.Hosting
{
    public static class FunctionsApplicationBuilderAspNetCoreExtensions
    {
        public static Microsoft.Azure.Functions.Worker.Builder.FunctionsApplicationBuilder ConfigureFunctionsWebApplication(this Microsoft.Azure.Functions.Worker.Builder.FunctionsApplicationBuilder builder) => throw new System.NotSupportedException();
    }
}

namespace Microsoft.Azure.Functions.Worker.OpenTelemetry
{
    public static class ConfigureFunctionsOpenTelemetry
    {
        public static global::OpenTelemetry.IOpenTelemetryBuilder UseFunctionsWorkerDefaults(this global::OpenTelemetry.IOpenTelemetryBuilder builder) => throw new System.NotSupportedException();
    }
}
