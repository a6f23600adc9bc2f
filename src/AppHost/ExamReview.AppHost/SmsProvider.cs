using Microsoft.Extensions.Configuration;

namespace ExamReview.AppHost;

/// <summary>
/// Notification's SMS provider: the configured one (<c>Sms:Provider:Endpoint</c>, <c>:AccessKeyId</c>,
/// <c>:AccessKeySecret</c>), or else the local provider stub as a resource of its own, with a key pair made for
/// this run, so SMS travel the real signed HTTP path and operators can read what reached the "provider".
/// </summary>
internal static class SmsProvider
{
    public const string StubPrefix = "/sms-stub/";

    public static void Attach(IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> notification, PlatformSecrets security)
    {
        var endpoint = builder.Configuration["Sms:Provider:Endpoint"];
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            notification
                .WithEnvironment("Sms__Provider__Endpoint", endpoint)
                .WithEnvironment("Sms__Provider__AccessKeyId", builder.Configuration["Sms:Provider:AccessKeyId"] ?? "")
                .WithEnvironment("Sms__Provider__AccessKeySecret", builder.AddParameter("sms-secret", builder.Configuration["Sms:Provider:AccessKeySecret"] ?? "", secret: true));
            Console.WriteLine($"sms: provider at {endpoint}");
            return;
        }

        var secret = builder.AddParameter("sms-stub-secret", Secrets.NewKey(), secret: true);
        var stub = builder.AddProject<Projects.ExamReview_SmsProviderStub_Host>("smsproviderstub")
            .WithHttpEndpoint(name: "http")
            .WithHttpHealthCheck("/health")
            .WithEnvironment("Sms__Provider__AccessKeyId", "local-stub")
            .WithEnvironment("Sms__Provider__AccessKeySecret", secret)
            .WithEnvironment("Auth__SigningKeys__0", security.SigningKey);
        notification
            .WithEnvironment("Sms__Provider__Endpoint", ReferenceExpression.Create($"{stub.GetEndpoint("http")}{StubPrefix}"))
            .WithEnvironment("Sms__Provider__AccessKeyId", "local-stub")
            .WithEnvironment("Sms__Provider__AccessKeySecret", secret)
            .WithReference(stub)
            .WaitFor(stub);
        ReadyLines.Print(builder, ("SmsProviderStub", stub));
        Console.WriteLine("sms: no provider configured, the local provider stub answers (smsproviderstub)");
    }
}
