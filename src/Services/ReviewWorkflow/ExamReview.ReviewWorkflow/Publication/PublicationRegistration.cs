using ExamReview.ReviewWorkflow.Data;

namespace ExamReview.ReviewWorkflow.Publication;

public static class PublicationRegistration
{
    /// <summary>Per-area publication modes, the round publisher and the closer of rounds whose end date passed.</summary>
    public static WebApplicationBuilder AddResultPublication(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(PublicationOptions.Section).Get<PublicationOptions>() ?? new PublicationOptions();
        if (options.ScanInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{PublicationOptions.Section}:ScanInterval must be positive.");
        }
        builder.Services.AddSingleton(options);
        builder.Services.AddScoped<RoundPublisher>();
        builder.Services.AddHostedService<RoundCloser>();
        return builder;
    }
}
