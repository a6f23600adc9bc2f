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

    /// <summary>Registers the service's consumer types with the bus.</summary>
    public virtual void AddConsumers(IBusRegistrationConfigurator bus)
    {
    }

    /// <summary>Binds the service's consumers to its queue: the explicit list of what it subscribes to.</summary>
    public virtual void ConfigureConsumers(IReceiveEndpointConfigurator endpoint, IBusRegistrationContext context)
    {
    }

    public virtual bool HasConsumers => false;

    public abstract void MapEndpoints(IEndpointRouteBuilder app);
}
