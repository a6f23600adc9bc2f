using ExamReview.AppHost;
using YamlDotNet.RepresentationModel;

namespace ExamReview.UnitTests;

/// <summary>docker-compose.yml cannot run here (no Docker engine), so it is checked against the code instead.</summary>
public sealed class ComposeFileTests
{
    private static readonly YamlMappingNode Services = Load();

    private static YamlMappingNode Load()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docker-compose.yml")))
        {
            dir = dir.Parent;
        }
        Assert.NotNull(dir);
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(dir.FullName, "docker-compose.yml"));
        yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return (YamlMappingNode)root.Children[new YamlScalarNode("services")];
    }

    private static YamlMappingNode Service(string name) => (YamlMappingNode)Services.Children[new YamlScalarNode(name)];

    private static Dictionary<string, string> Environment(string name)
    {
        var environment = (YamlMappingNode)Service(name).Children[new YamlScalarNode("environment")];
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in environment.Children)
        {
            if (key is YamlScalarNode { Value: "<<" } && value is YamlMappingNode merged)
            {
                foreach (var (mk, mv) in merged.Children)
                {
                    result[((YamlScalarNode)mk).Value!] = ((YamlScalarNode)mv).Value!;
                }
                continue;
            }
            result[((YamlScalarNode)key).Value!] = ((YamlScalarNode)value).Value!;
        }
        return result;
    }

    [Fact]
    public void Every_service_in_the_code_is_in_compose_with_the_infrastructure_it_needs_and_nothing_else()
    {
        var names = Services.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!).Order().ToList();
        var expected = ServiceCatalog.All.Select(s => s.DiscoveryKey).Concat(["postgres", "rabbitmq", "minio"]).Order().ToList();
        Assert.Equal(expected, names);
    }

    [Fact]
    public void Each_service_gets_exactly_the_connection_strings_the_code_asks_for()
    {
        foreach (var entry in ServiceCatalog.All)
        {
            var connections = Environment(entry.DiscoveryKey).Keys
                .Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal))
                .Select(k => k["ConnectionStrings__".Length..])
                .Order()
                .ToList();
            Assert.Equal(entry.Connections.Order().ToList(), connections);
            if (entry.DatabaseResource is { } database)
            {
                Assert.Contains($"Database=examreview_{entry.DiscoveryKey}", Environment(entry.DiscoveryKey)[$"ConnectionStrings__{database}"], StringComparison.Ordinal);
            }
            if (entry.Connections.Contains("objectstore"))
            {
                Assert.EndsWith($";Bucket={entry.Bucket}", Environment(entry.DiscoveryKey)["ConnectionStrings__objectstore"], StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Ports_and_service_addresses_agree_with_the_catalog()
    {
        foreach (var entry in ServiceCatalog.All)
        {
            var ports = (YamlSequenceNode)Service(entry.DiscoveryKey).Children[new YamlScalarNode("ports")];
            var mapping = Assert.Single(ports.Children.Cast<YamlScalarNode>()).Value!;
            Assert.Equal($"{5100 + entry.PortOffset}:8080", mapping);
            foreach (var (key, value) in Environment(entry.DiscoveryKey).Where(e => e.Key.StartsWith("services__", StringComparison.Ordinal)))
            {
                var target = key.Split("__")[1];
                Assert.Contains(ServiceCatalog.All, s => s.DiscoveryKey == target);
                Assert.Equal($"http://{target}:8080", value);
            }
            Assert.Contains("Auth__SigningKeys__0", Environment(entry.DiscoveryKey).Keys);
        }
        // ImageValidation reads originals from the materials bucket, never through MaterialStorage, and keeps no database.
        Assert.DoesNotContain("services__materialstorage__http__0", Environment("imagevalidation").Keys);
        Assert.Equal(
            ServiceCatalog.All.Single(s => s.Name == "MaterialStorage").Bucket,
            ServiceCatalog.All.Single(s => s.Name == "ImageValidation").Bucket);
    }
}
