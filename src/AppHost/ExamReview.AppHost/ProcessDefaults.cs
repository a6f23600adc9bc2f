using Microsoft.Extensions.Configuration;

namespace ExamReview.AppHost;

/// <summary>
/// What every .NET process of the model gets, services, gateway and SMS provider stub alike (issue 19, at rest):
/// <list type="bullet">
/// <item>No OTLP exporter without a collector. Aspire points every project at the dashboard's OTLP endpoint even when
/// there is no dashboard: each process then exported to a closed port every second, threw, retried in memory and woke
/// its thread pool (~1,000 context switches/s per service; the stub and the gateway kept doing it until session 13).
/// An OTEL_EXPORTER_OTLP_ENDPOINT in the AppHost's own environment still wins.</item>
/// <item>Idle thread-pool workers sleep at once instead of spinning (and <c>sched_yield</c>ing) first: an idle
/// ReviewWorkflow went from 1,800 to 230 context switches/s at the same ~1 % CPU.</item>
/// </list>
/// Applied last, over every project resource the model holds.
/// </summary>
internal static class ProcessDefaults
{
    public static void Apply(IDistributedApplicationBuilder builder)
    {
        var noCollector = !builder.Configuration.GetValue("Dashboard:Enabled", true) && string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            var process = builder.CreateResourceBuilder(project);
            if (noCollector)
            {
                // Runs after Aspire's own environment callback (added when the project was), so the removal sticks.
                process.WithEnvironment(context => context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT"));
            }
            process.WithEnvironment("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit", "0");
        }
    }
}
