using ExamReview.ServiceDefaults.Auth;
using ExamReview.SmsProviderStub;

namespace ExamReview.Embedded;

/// <summary>
/// The embedded run's SMS provider stub, when no real provider is configured: the one process serves the stub at
/// <c>/sms-stub/</c> on its own address and points Notification's provider adapter at it with a key pair made for the
/// run, so SMS travel the real signed HTTP path and operators can read what "reached the provider"
/// (<c>/sms-stub/_stub/messages</c>, operator token). A configured <c>Sms:Provider:Endpoint</c> always wins. The
/// distributed run does not use this class: the AppHost starts the stub as a resource of its own (<c>SmsProvider</c>).
/// </summary>
internal static class LocalSmsStub
{
    private const string ServeKey = "SmsProviderStub:Serve";

    /// <summary>
    /// Configuration settings that point Notification at a stub served under
    /// <paramref name="notificationUrl"/>; none when a real provider is configured.
    /// </summary>
    public static IReadOnlyDictionary<string, string> SettingsUnlessConfigured(IConfiguration configuration, string notificationUrl) =>
        !string.IsNullOrWhiteSpace(configuration["Sms:Provider:Endpoint"])
            ? new Dictionary<string, string>()
            : new Dictionary<string, string>
            {
                ["Sms:Provider:Endpoint"] = notificationUrl.TrimEnd('/') + SmsProviderStubEndpoints.DefaultPrefix + "/",
                ["Sms:Provider:AccessKeyId"] = "local-stub",
                ["Sms:Provider:AccessKeySecret"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)),
                [ServeKey] = "true",
            };

    /// <summary>Registers the stub when the settings above asked this process to serve it; returns whether it did.</summary>
    public static bool AddIfRequested(WebApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue<bool>(ServeKey))
        {
            return false;
        }
        builder.Services.AddSmsProviderStub(new SmsProviderStubOptions
        {
            AccessKeyId = builder.Configuration["Sms:Provider:AccessKeyId"],
            AccessKeySecret = builder.Configuration["Sms:Provider:AccessKeySecret"],
        });
        return true;
    }

    /// <summary>Maps the stub's provider API (signature-authenticated) and its control endpoints (operators only).</summary>
    public static void MapIf(WebApplication app, bool serve)
    {
        if (serve)
        {
            app.MapSmsProviderStub(SmsProviderStubEndpoints.DefaultPrefix, Policies.Operator);
        }
    }
}
