using ExamReview.Embedded;
using YamlDotNet.RepresentationModel;

namespace ExamReview.UnitTests;

/// <summary>
/// docker-compose.yml checked against the code without an engine (tests/ExamReview.DeploymentTests runs it for real):
/// every service, the connection strings each one reads, its port and the addresses of the services it calls.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly YamlMappingNode Services = Load();

    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepoRoot(), "docker-compose.yml"));
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
        var expected = ServiceCatalog.All.Select(s => s.DiscoveryKey).Concat(["postgres", "rabbitmq", "minio", "clamav", "gateway"]).Order().ToList();
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
            // The host side is overridable (the deployment tests publish on free loopback ports).
            var ports = (YamlSequenceNode)Service(entry.DiscoveryKey).Children[new YamlScalarNode("ports")];
            var mapping = Assert.Single(ports.Children.Cast<YamlScalarNode>()).Value!;
            Assert.Matches($@"^\$\{{EXAMREVIEW_BIND_ADDRESS:-0\.0\.0\.0\}}:\$\{{EXAMREVIEW_{entry.Name.ToUpperInvariant()}_PORT:-51\d\d\}}:8080$", mapping);
            foreach (var (key, value) in Environment(entry.DiscoveryKey).Where(e => e.Key.StartsWith("services__", StringComparison.Ordinal)))
            {
                var target = key.Split("__")[1];
                Assert.Contains(ServiceCatalog.All, s => s.DiscoveryKey == target);
                Assert.Equal($"http://{target}:8080", value);
            }
            Assert.Contains("Auth__SigningKeys__0", Environment(entry.DiscoveryKey).Keys);
            Assert.Equal("false", Environment(entry.DiscoveryKey)["Auth__DevTokens__Enabled"]);
        }
        // A candidate's signed-in session is checked at Registration by every other service it can call (sign-out ends it there too).
        Assert.All(ServiceCatalog.All.Where(s => s.Name != "Registration"),
            s => Assert.Equal("http://registration:8080", Environment(s.DiscoveryKey)["services__registration__http__0"]));
        // ImageValidation reads originals from the materials bucket, never through MaterialStorage, and keeps no database.
        Assert.DoesNotContain("services__materialstorage__http__0", Environment("imagevalidation").Keys);
        Assert.Equal(
            ServiceCatalog.All.Single(s => s.Name == "MaterialStorage").Bucket,
            ServiceCatalog.All.Single(s => s.Name == "ImageValidation").Bucket);
    }

    [Fact]
    public void Data_at_rest_is_sealed_under_keys_the_deployment_must_give_never_under_keys_derived_from_the_signing_key()
    {
        // Without them the services would derive their rings from Auth:SigningKeys (development only, warned about).
        var rings = new[]
        {
            ("registration", ExamReview.Registration.Data.Protection.IdNumberKeys.Section, new[] { "Keys__k1", "IndexKey" }),
            ("notification", ExamReview.Notification.Data.Protection.WebhookSecretProtector.Section, new[] { "Keys__k1" }),
        };
        foreach (var (service, section, keys) in rings)
        {
            var prefix = section.Replace(":", "__", StringComparison.Ordinal) + "__";
            var environment = Environment(service);
            Assert.Equal("k1", environment[prefix + "CurrentKeyId"]);
            // Only an upgrade from a deployment that ran on derived keys turns this on, for one start.
            Assert.Equal("${EXAMREVIEW_KEEP_DERIVED_KEYS:-false}", environment[prefix + "KeepDerivedKeys"]);
            foreach (var key in keys)
            {
                // ${NAME:?message}: compose refuses to start without the variable.
                Assert.Matches(@"^\$\{[A-Z_]+:\?[^}]+\}$", environment[prefix + key]);
            }
        }
        var variables = rings.SelectMany(r => r.Item3.Select(k => Environment(r.Item1)[r.Item2.Replace(":", "__", StringComparison.Ordinal) + "__" + k])).ToList();
        Assert.Equal(variables.Count, variables.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void ImageValidation_scans_with_the_compose_clamd_and_starts_without_waiting_for_its_database()
    {
        // Issue 15, item 8: no upload reaches a reviewer unscanned in the compose deployment either.
        Assert.Equal("tcp://clamav:3310", Environment("imagevalidation")["ClamAv__Endpoint"]);
        var dependsOn = (YamlMappingNode)Service("imagevalidation").Children[new YamlScalarNode("depends_on")];
        var clamav = (YamlMappingNode)dependsOn.Children[new YamlScalarNode("clamav")];
        Assert.Equal("service_started", ((YamlScalarNode)clamav.Children[new YamlScalarNode("condition")]).Value);
        foreach (var server in new[] { "postgres", "rabbitmq", "minio" })
        {
            Assert.True(dependsOn.Children.ContainsKey(new YamlScalarNode(server)), server);
        }
        // The signature database is a volume production replaces with freshclam's directory.
        var volumes = (YamlSequenceNode)Service("clamav").Children[new YamlScalarNode("volumes")];
        Assert.EndsWith(":/var/lib/clamav", Assert.Single(volumes.Children.Cast<YamlScalarNode>()).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Gateway_reaches_every_service_by_its_compose_name_and_serves_the_console_baked_into_its_image()
    {
        var environment = Environment("gateway");
        var addresses = environment.Where(e => e.Key.StartsWith("services__", StringComparison.Ordinal)).ToDictionary(e => e.Key, e => e.Value);
        Assert.Equal(
            ServiceCatalog.All.Select(s => $"services__{s.DiscoveryKey}__http__0").Order().ToList(),
            addresses.Keys.Order().ToList());
        Assert.All(addresses, a => Assert.Equal($"http://{a.Key.Split("__")[1]}:8080", a.Value));
        // scripts/images.sh builds the console into the image's /app/console/dist; no secret, no dev issuer.
        Assert.Equal("/app/console/dist", environment["Console__Root"]);
        Assert.Contains("build_console \"$context/app/console/dist\"", File.ReadAllText(Path.Combine(RepoRoot(), "scripts", "images.sh")), StringComparison.Ordinal);
        Assert.DoesNotContain(environment.Keys, k => k.StartsWith("Auth__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal));

        var gateway = Service("gateway");
        var port = Assert.Single(((YamlSequenceNode)gateway.Children[new YamlScalarNode("ports")]).Children.Cast<YamlScalarNode>()).Value;
        Assert.Equal("${EXAMREVIEW_BIND_ADDRESS:-0.0.0.0}:${EXAMREVIEW_GATEWAY_PORT:-5100}:8080", port);
        var dependsOn = (YamlMappingNode)gateway.Children[new YamlScalarNode("depends_on")];
        foreach (var entry in ServiceCatalog.All)
        {
            var condition = (YamlMappingNode)dependsOn.Children[new YamlScalarNode(entry.DiscoveryKey)];
            Assert.Equal("service_healthy", ((YamlScalarNode)condition.Children[new YamlScalarNode("condition")]).Value);
        }
        Assert.True(gateway.Children.ContainsKey(new YamlScalarNode("healthcheck")));
    }

    [Fact]
    public void Every_image_is_one_scripts_images_sh_builds_unless_overridden()
    {
        var script = File.ReadAllText(Path.Combine(RepoRoot(), "scripts", "images.sh"));
        foreach (var (key, node) in Services.Children)
        {
            var image = ((YamlScalarNode)((YamlMappingNode)node).Children[new YamlScalarNode("image")]).Value!;
            var match = System.Text.RegularExpressions.Regex.Match(image, @"^\$\{EXAMREVIEW_[A-Z0-9_]+:-(?<default>[^}]+)\}$");
            if (!match.Success)
            {
                // A service image: ${EXAMREVIEW_IMAGE_PREFIX:-examreview}/<service>:${EXAMREVIEW_IMAGE_TAG:-local}
                Assert.Equal($"${{EXAMREVIEW_IMAGE_PREFIX:-examreview}}/{((YamlScalarNode)key).Value}:${{EXAMREVIEW_IMAGE_TAG:-local}}", image);
                continue;
            }
            Assert.Contains(match.Groups["default"].Value, script, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(Services.Children.Values.Cast<YamlMappingNode>(), s => s.Children.ContainsKey(new YamlScalarNode("build")));
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "docker-compose.yml")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("docker-compose.yml not found above " + AppContext.BaseDirectory);
    }
}
