using ExamReview.ImageValidation.Processing.Face;
using ExamReview.Imaging;
using ExamReview.PassMarks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ExamReview.ImageValidation.Processing;

/// <summary>DI registration for the image tools.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ImageValidationOptions"/> from the "ImageValidation" section and registers
    /// <see cref="PhotoTool"/> (with <see cref="FaceCheck"/> unless ImageValidation:Face:Enabled is false), <see cref="PassMark"/>, <see cref="DocumentInspector"/>, <see cref="Normaliser"/>,
    /// <see cref="Watermarker"/> and <see cref="DocumentPipeline"/> (check + watermark on one decode) as
    /// singletons (all are stateless and thread-safe), sharing one <see cref="DecodeGate"/> sized by
    /// ImageValidation:MaxConcurrentDecodes. The pass-mark keys
    /// (ImageValidation:PassMark:CurrentKeyId and :Keys:&lt;id&gt; = base64) must be configured; resolving
    /// <see cref="PassMark"/> without them throws.
    /// </summary>
    public static IServiceCollection AddImageValidationProcessing(this IServiceCollection services, IConfiguration configuration, VipsRuntimeOptions? runtime = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<ImageValidationOptions>(configuration.GetSection(ImageValidationOptions.SectionName));
        services.AddSingleton(sp =>
        {
            VipsRuntime.Initialise(runtime);
            return new DecodeGate(Options(sp).MaxConcurrentDecodes);
        });
        services.AddSingleton(sp =>
        {
            VipsRuntime.Initialise(runtime);
            return PassMarkKeyRing.FromOptions(Options(sp).PassMark);
        });
        services.AddSingleton(sp => new PassMark(sp.GetRequiredService<PassMarkKeyRing>(), sp.GetService<TimeProvider>(), Options(sp).PassMark.MaxAge));
        services.AddSingleton(sp => new FaceCheck(Options(sp).Face, PortraitFrame.From(Options(sp).Photo)));
        services.AddSingleton(sp => new PhotoTool(
            Options(sp).Photo,
            sp.GetRequiredService<PassMark>(),
            Options(sp).Face.Enabled ? sp.GetRequiredService<FaceCheck>() : null,
            Gate(sp)));
        services.AddSingleton(sp => new DocumentInspector(Options(sp).Document, Gate(sp)));
        services.AddSingleton(sp => new Normaliser(Options(sp).Normaliser, Gate(sp)));
        services.AddSingleton(sp => new Watermarker(Options(sp).Watermark, Options(sp).Document.MaxPixels, Gate(sp), Options(sp).Document.MaxDecodedPixels));
        services.AddSingleton(sp => new DocumentPipeline(sp.GetRequiredService<DocumentInspector>(), sp.GetRequiredService<Watermarker>(), Gate(sp)));
        return services;
    }

    private static DecodeGate Gate(IServiceProvider sp) => sp.GetRequiredService<DecodeGate>();

    private static ImageValidationOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<ImageValidationOptions>>().Value;
}
