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
