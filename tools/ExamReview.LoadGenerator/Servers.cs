using System.Data.Common;

namespace ExamReview.LoadGenerator;

/// <summary>
/// The servers of the run, from the same variables the AppHost reads (<c>eval "$(scripts/infra.sh env)"</c>):
/// EXAMREVIEW_PG, ConnectionStrings__rabbitmq, ConnectionStrings__objectstore. On this machine only: loopback, or a
/// container's address on one of this machine's Docker bridges (<c>scripts/infra.sh env --direct</c>).
/// </summary>
internal sealed record Servers(string Postgres, Uri RabbitMq, Uri S3Endpoint, string S3AccessKey, string S3SecretKey, string S3Region, string MaterialsBucket)
{
    public static Servers FromEnvironment()
    {
        string Required(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: bash scripts/infra.sh start && eval \"$(bash scripts/infra.sh env)\"");
        var store = new DbConnectionStringBuilder { ConnectionString = Required("ConnectionStrings__objectstore") };
        string Part(string key) => store.TryGetValue(key, out var v) ? v.ToString()! : throw new InvalidOperationException($"ConnectionStrings__objectstore has no {key}");
        var servers = new Servers(Required("EXAMREVIEW_PG"), new Uri(Required("ConnectionStrings__rabbitmq")), new Uri(Part("Endpoint")),
            Part("AccessKey"), Part("SecretKey"), store.TryGetValue("Region", out var region) ? region.ToString()! : "us-east-1", "examreview-materials");
        var postgresHost = new Npgsql.NpgsqlConnectionStringBuilder(servers.Postgres).Host ?? "";
        if (!OnThisMachine(servers.RabbitMq.Host) || !OnThisMachine(servers.S3Endpoint.Host) || !OnThisMachine(postgresHost))
        {
            throw new InvalidOperationException("The load generator drives servers on this machine only (loopback, or a container on a local Docker bridge).");
        }
        return servers;
    }

    /// <summary>Loopback, or an address inside the subnet of one of this machine's Docker bridges (docker0, br-…).</summary>
    private static bool OnThisMachine(string host)
    {
        if (host is "localhost")
        {
            return true;
        }
        if (!System.Net.IPAddress.TryParse(host, out var address))
        {
            return false;
        }
        if (System.Net.IPAddress.IsLoopback(address))
        {
            return true;
        }
        return System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.Name.StartsWith("docker", StringComparison.Ordinal) || n.Name.StartsWith("br-", StringComparison.Ordinal))
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Any(u => u.Address.AddressFamily == address.AddressFamily
                && System.Net.IPNetwork.Parse($"{u.Address}/{u.PrefixLength}").Contains(address));
    }

    /// <summary>The connection string of one database on the server.</summary>
    public string Database(string name) => new Npgsql.NpgsqlConnectionStringBuilder(Postgres) { Database = name, Pooling = true, MaxPoolSize = 64 }.ConnectionString;
}
