using Microsoft.Extensions.Configuration;

namespace ExamReview.AppHost;

/// <summary>
/// Options for load and fault runs (tools/ExamReview.LoadGenerator, scripts/load.sh, scripts/faults.sh):
/// <list type="bullet">
/// <item><c>Load:Replicas</c> (1): instances of MaterialStorage and ImageValidation, competing consumers on one queue
/// each and one address (Aspire's proxy in front of the replicas).</item>
/// <item><c>Load:ReplicateAll</c> (false): the same number of instances of every service (fault runs kill one of each).</item>
/// <item><c>Load:RateLimitsOff</c> (false): lifts the per-address abuse limits, which a load generator on one address
/// would otherwise hit at once (in production every candidate has a budget of their own).</item>
/// </list>
/// </summary>
internal static class LoadProfile
{
    public static void Apply(IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource>[] all, params IResourceBuilder<ProjectResource>[] scaled)
    {
        if (!builder.Configuration.GetValue("Dashboard:Enabled", true))
        {
            // Aspire points every project at the dashboard's OTLP endpoint even when there is no dashboard: each
            // service then exported to a closed port every second, retried in memory and woke its thread pool
            // (measured at rest: ~1,000 context switches/s per service). No collector, no exporter; a configured
            // OTEL_EXPORTER_OTLP_ENDPOINT in the AppHost's own environment still wins.
            var configured = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
            foreach (var service in all)
            {
                service.WithEnvironment(context =>
                {
                    if (string.IsNullOrEmpty(configured))
                    {
                        context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
                    }
                });
            }
        }
        foreach (var service in all)
        {
            // Idle thread-pool workers spin (and sched_yield) before they sleep: measured on an idle ReviewWorkflow,
            // 1,800 context switches/s by default, 230/s without the spin, the same ~1 % CPU (issue 19, at rest).
            service.WithEnvironment("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit", "0");
        }
        var replicas = builder.Configuration.GetValue("Load:Replicas", 1);
        if (replicas < 1)
        {
            throw new InvalidOperationException($"Load:Replicas={replicas}: at least 1.");
        }
        var targets = builder.Configuration.GetValue("Load:ReplicateAll", false) ? all : scaled;
        if (replicas > 1)
        {
            foreach (var service in targets)
            {
                service.WithReplicas(replicas);
            }
            Console.WriteLine($"load: {replicas} replicas of {string.Join(", ", targets.Select(t => t.Resource.Name))}");
        }
        if (builder.Configuration.GetValue("Load:RateLimitsOff", false))
        {
            foreach (var service in all)
            {
                service.WithEnvironment("RateLimits__ClientPermitsPerWindow", "10000000")
                    .WithEnvironment("RateLimits__AddressPermitsPerWindow", "10000000")
                    .WithEnvironment("RateLimits__PublicPermitsPerWindow", "10000000");
            }
            Console.WriteLine("load: per-client and per-address rate limits lifted for this run");
        }
    }
}
