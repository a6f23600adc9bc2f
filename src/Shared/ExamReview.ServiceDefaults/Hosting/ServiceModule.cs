using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace ExamReview.ServiceDefaults.Hosting;

/// <summary>
/// One service's composition root. A service process hosts exactly one module; the embedded
/// AppHost hosts all five in one process (one bus, one in-memory transport), which is why a
/// module contributes its registrations instead of calling AddMassTransit itself.
/// </summary>
public abstract class ServiceModule
{
    /// <summary>Service name as printed by the AppHost and used in telemetry, e.g. "Registration".</summary>
    public abstract string Name { get; }

    /// <summary>The service's receive queue; its subscriptions are listed in <see cref="ConfigureConsumers"/>.</summary>
    public abstract string QueueName { get; }

    public abstract void AddServices(WebApplicationBuilder builder);

    /// <summary>The service's subscriptions, listed explicitly: every consumer bound to its queue.</summary>
    protected virtual IReadOnlyList<Type> Consumers => [];

    /// <summary>Registers the service's consumer types with the bus.</summary>
    public virtual void AddConsumers(IBusRegistrationConfigurator bus)
    {
        foreach (var consumer in Consumers)
        {
            bus.AddConsumer(consumer);
        }
    }

    /// <summary>Binds the service's consumers to its queue.</summary>
    public virtual void ConfigureConsumers(IReceiveEndpointConfigurator endpoint, IBusRegistrationContext context)
    {
        foreach (var consumer in Consumers)
        {
            endpoint.ConfigureConsumer(context, consumer);
        }
    }

    public virtual bool HasConsumers => Consumers.Count > 0;

    /// <summary>
    /// The service's per-instance subscriptions, listed explicitly: consumers of messages every instance must see (a
    /// process-local cache to correct), never work to share out. They are bound to one temporary queue per process
    /// (MassTransit's <c>TemporaryEndpointDefinition</c>: its own name, auto-deleted when the process goes), so each
    /// instance gets its own copy of each message instead of competing for it with the others on <see cref="QueueName"/>.
    /// The consumers keep no durable state (the queue goes with the process) and must be idempotent.
    /// </summary>
    public virtual IReadOnlyList<Type> InstanceConsumers => [];

    public abstract void MapEndpoints(IEndpointRouteBuilder app);
}
