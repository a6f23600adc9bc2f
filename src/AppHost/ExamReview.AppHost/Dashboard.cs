using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace ExamReview.AppHost;

/// <summary>
/// The Aspire dashboard serves over HTTPS with the ASP.NET Core developer certificate. A fresh machine (or CI) has
/// none, and the AppHost would refuse to start, so without one the dashboard runs over plain HTTP on loopback —
/// said out loud — and <c>--Dashboard:Enabled false</c> turns it off (tests do).
/// </summary>
internal static class Dashboard
{
    /// <summary>The OID that marks the ASP.NET Core HTTPS development certificate.</summary>
    private const string AspNetDevelopmentCertificateOid = "1.3.6.1.4.1.311.84.1.1";

    public static DistributedApplicationOptions Options(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var options = new DistributedApplicationOptions { Args = args };
        if (!configuration.GetValue("Dashboard:Enabled", true))
        {
            options.DisableDashboard = true;
            Console.WriteLine("dashboard: off (Dashboard:Enabled=false)");
            return options;
        }
        if (HasDevelopmentCertificate())
        {
            return options;
        }
        // Only where nobody configured the dashboard's addresses: their defaults are HTTPS.
        SetIfAbsent("ASPNETCORE_URLS", "http://127.0.0.1:18888");
        SetIfAbsent("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "http://127.0.0.1:18889");
        SetIfAbsent("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", "http://127.0.0.1:18890");
        options.AllowUnsecuredTransport = true;
        Console.WriteLine($"dashboard: no developer certificate, serving over plain HTTP at {Environment.GetEnvironmentVariable("ASPNETCORE_URLS")} (run `dotnet dev-certs https` for HTTPS)");
        return options;
    }

    private static bool HasDevelopmentCertificate()
    {
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadOnly);
        var now = DateTime.Now;
        var found = false;
        foreach (var certificate in store.Certificates)
        {
            found |= certificate.NotAfter > now && certificate.Extensions.Any(e => e.Oid?.Value == AspNetDevelopmentCertificateOid);
            certificate.Dispose();
        }
        return found;
    }

    private static void SetIfAbsent(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
