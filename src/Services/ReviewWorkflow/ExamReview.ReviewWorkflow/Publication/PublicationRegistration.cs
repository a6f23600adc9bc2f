using ExamReview.ReviewWorkflow.Data;

namespace ExamReview.ReviewWorkflow.Publication;

public static class PublicationRegistration
{
    /// <summary>
    /// Per-area publication modes, the round publisher, the closer of rounds whose end date passed, and the start-up
    /// announcement of held results to Registration (after the database, whose migrations run first).
    /// </summary>
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
        builder.Services.AddHostedService<HeldResultAnnouncer>();
        return builder;
    }
}
