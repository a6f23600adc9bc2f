using ExamReview.ServiceDefaults.Auth;
using ExamReview.SmsProviderStub;

namespace ExamReview.Embedded;

/// <summary>
/// The local SMS provider stub for runs without a real provider (embedded and distributed alike): Notification's
/// provider adapter is pointed at a stub served by the process hosting Notification, with a fresh key pair, so
/// SMS travel the real signed HTTP path and operators can read what "reached the provider"
/// (<c>/sms-stub/_stub/messages</c>, operator token). A configured <c>Sms:Provider:Endpoint</c> always wins.
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
