using ExamReview.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Scalar.AspNetCore;

namespace ExamReview.ServiceDefaults.OpenApi;

/// <summary>
/// One OpenAPI document per service, named after it (<c>/openapi/registration.json</c>, …), whichever host serves the
/// service: a service process serves its own, the embedded host serves all five from one process. A module's endpoints
/// are mapped inside a group named after its document, so the document picks them by group name and never by route.
/// <c>/openapi/v1.json</c> stays the whole host's document (what a service process serves is its service's).
/// </summary>
public static class ServiceDocuments
{
    /// <summary>The whole host's document, kept at its historical address.</summary>
    public const string HostDocument = "v1";

    /// <summary>A service's document name: the lower-case service name, as Aspire names the service's resource.</summary>
    public static string DocumentName(ServiceModule module) => module.Name.ToLowerInvariant();

    public static WebApplicationBuilder AddServiceDocuments(this WebApplicationBuilder builder, string hostName, IReadOnlyList<ServiceModule> modules)
    {
        foreach (var module in modules)
        {
            var name = DocumentName(module);
            var service = ServiceDescriptions.For(module.Name);
            builder.Services.AddOpenApi(name, options =>
            {
                // Its own endpoints, plus the platform's endpoints every service host maps (the development token issuer).
                options.ShouldInclude = d => d.GroupName == name || IsPlatformEndpoint(d.ActionDescriptor.EndpointMetadata);
                options.AddPlatformTransformers(service);
            });
        }
        var host = modules.Count == 1 ? ServiceDescriptions.For(modules[0].Name) : ServiceDescriptions.Host(hostName);
        builder.Services.AddOpenApi(HostDocument, options =>
        {
            options.ShouldInclude = _ => true;
            options.AddPlatformTransformers(host);
        });
        return builder;
    }

    /// <summary>The group a module maps its endpoints into: its document's name travels with every endpoint.</summary>
    public static IEndpointRouteBuilder ServiceGroup(this IEndpointRouteBuilder app, ServiceModule module) =>
        app.MapGroup("").WithGroupName(DocumentName(module));

    /// <summary>The group for endpoints every service host maps, which belong in every service's document.</summary>
    public static IEndpointRouteBuilder PlatformGroup(this IEndpointRouteBuilder app) =>
        app.MapGroup("").WithMetadata(PlatformEndpointMetadata.Instance);

    /// <summary>The documents at <c>/openapi/{name}.json</c> for anyone (clients generate from them); Scalar in development.</summary>
    public static WebApplication MapServiceDocuments(this WebApplication app, IReadOnlyList<ServiceModule> modules)
    {
        app.MapOpenApi().AllowAnonymous();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(options =>
            {
                options.WithTitle("ExamReview API");
                var first = true;
                foreach (var module in modules)
                {
                    options.AddDocument(DocumentName(module), ServiceDescriptions.For(module.Name).Title, isDefault: first);
                    first = false;
                }
                options.AddPreferredSecuritySchemes(SecurityTransformers.SchemeId);
            }).AllowAnonymous();
        }
        return app;
    }

    private static bool IsPlatformEndpoint(IList<object> metadata) => metadata.OfType<PlatformEndpointMetadata>().Any();

    internal static void AddPlatformTransformers(this OpenApiOptions options, ServiceDescription service)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            DocumentInfo.Apply(document, service);
            SecurityTransformers.AddScheme(document);
            ProblemResponses.AddSchema(document);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            OperationIds.Apply(operation, context.Description);
            SecurityTransformers.Apply(operation, metadata, context.Document!);
            ParameterValues.Apply(operation, metadata);
            ProblemResponses.Apply(operation, context.Description, context.Document!);
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer(SchemaTransformers.TransformAsync);
    }
}

/// <summary>Marks an endpoint every service host maps (it belongs in each service's document).</summary>
public sealed class PlatformEndpointMetadata
{
    public static readonly PlatformEndpointMetadata Instance = new();

    private PlatformEndpointMetadata()
    {
    }
}
