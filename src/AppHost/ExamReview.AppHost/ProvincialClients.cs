namespace ExamReview.AppHost;

/// <summary>
/// Development-only provincial machine clients: with the development token issuer on, one client per sample province
/// (the seeded areas), sharing a secret generated for this run (<c>Parameters:provincial-dev-secret</c>, shown on the
/// dashboard), so a provincial team can try the integration API against a local run. With the issuer off nothing is
/// configured: production registers its clients with the real issuer (see docs/provincial/README.md).
/// </summary>
internal static class ProvincialClients
{
    public static readonly (string ClientId, string Area, string Name)[] Samples =
    [
        ("beijing-dev", "11", "北京考区对接系统（开发）"),
        ("hunan-dev", "43", "湖南考区对接系统（开发）"),
        ("guangdong-dev", "44", "广东考区对接系统（开发）"),
        ("sichuan-dev", "51", "四川考区对接系统（开发）"),
    ];

    public static void Attach(IDistributedApplicationBuilder builder, PlatformSecrets security, params IResourceBuilder<ProjectResource>[] services)
    {
        if (!security.DevTokens)
        {
            return;
        }
        var secret = builder.AddParameter("provincial-dev-secret", builder.Configuration["Parameters:provincial-dev-secret"] ?? Secrets.NewKey(), secret: true);
        // Every service maps the development issuer's token endpoint, so each knows the clients.
        foreach (var service in services)
        {
            for (var i = 0; i < Samples.Length; i++)
            {
                var (clientId, area, name) = Samples[i];
                service.WithEnvironment($"Auth__MachineClients__{i}__ClientId", clientId)
                    .WithEnvironment($"Auth__MachineClients__{i}__Secret", secret)
                    .WithEnvironment($"Auth__MachineClients__{i}__Area", area)
                    .WithEnvironment($"Auth__MachineClients__{i}__Name", name);
            }
        }
        Console.WriteLine("auth: development machine clients " + string.Join(", ", Samples.Select(s => $"{s.ClientId} ({s.Area})")) +
            " — secret: parameter provincial-dev-secret (dashboard), token: POST /api/v1/dev/oauth/token");
    }
}
