using ExamReview.ServiceDefaults.OpenApi;

// In ASP.NET Core's own namespace, beside Produces/WithSummary, so an endpoint's mapping chain declares its problem
// codes without a using of our OpenAPI namespace.
namespace Microsoft.AspNetCore.Builder;

public static class ProblemCodesExtensions
{
    /// <summary>
    /// Declares that the endpoint answers <paramref name="status"/> with these problem codes, besides what every endpoint
    /// can answer (400 for a malformed request, 401/403 when it needs a token, 404 on an unknown id in its route); its
    /// OpenAPI operation lists them (see <see cref="ProblemResponses"/>).
    /// </summary>
    public static TBuilder ProducesProblemCodes<TBuilder>(this TBuilder builder, int status, params string[] codes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProblemCodesMetadata(status, codes));
}

public static class ParameterValuesExtensions
{
    /// <summary>
    /// Declares the values a string query or route parameter accepts (the handler refuses others with a 400), so the
    /// OpenAPI operation lists them and a generated client gets a union type.
    /// </summary>
    public static TBuilder WithParameterValues<TBuilder>(this TBuilder builder, string parameter, params string[] values)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ParameterValuesMetadata(parameter, values));
}
