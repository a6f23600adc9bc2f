using Yarp.ReverseProxy.Configuration;

namespace ExamReview.Gateway;

/// <summary>
/// Which service answers which path. Each service owns one area of the API (<c>/api/v1/&lt;area&gt;</c>) and its OpenAPI
/// document; destinations are the AppHost's resource names (<c>http://registration</c> …), resolved by service
/// discovery from <c>services:&lt;name&gt;:http:0</c> as Aspire injects it.
/// </summary>
public static class GatewayRoutes
{
    /// <summary>(API area, service discovery name): the AppHost's resource names (PlatformModel).</summary>
    public static readonly IReadOnlyList<(string Area, string Service)> Areas =
    [
        ("registrations", "registration"),
        ("materials", "materialstorage"),
        ("validation", "imagevalidation"),
        ("reviews", "reviewworkflow"),
        ("notifications", "notification"),
    ];

    public static IReadOnlyList<RouteConfig> Routes()
    {
        var routes = new List<RouteConfig>();
        foreach (var (area, service) in Areas)
        {
            routes.Add(new RouteConfig { RouteId = $"{area}-api", ClusterId = service, Match = new RouteMatch { Path = $"/api/v1/{area}/{{**rest}}" } });
            routes.Add(new RouteConfig { RouteId = $"{area}-root", ClusterId = service, Match = new RouteMatch { Path = $"/api/v1/{area}" } });
            routes.Add(new RouteConfig { RouteId = $"{service}-openapi", ClusterId = service, Match = new RouteMatch { Path = $"/openapi/{service}.json" } });
        }
        // The development token issuer, where it is on (every service maps it then; Registration answers).
        routes.Add(new RouteConfig { RouteId = "dev-tokens", ClusterId = "registration", Match = new RouteMatch { Path = "/api/v1/dev/tokens" } });
        return routes;
    }

    public static IReadOnlyList<ClusterConfig> Clusters() =>
        Areas.Select(a => new ClusterConfig
        {
            ClusterId = a.Service,
            Destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal)
            {
                [a.Service] = new() { Address = $"http://{a.Service}" },
            },
        }).ToList();
}
