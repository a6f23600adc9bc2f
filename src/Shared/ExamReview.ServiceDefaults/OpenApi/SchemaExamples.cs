using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ExamReview.ServiceDefaults.OpenApi;

/// <summary>
/// An example of a request or response record for the main flows, declared in the service's assembly beside the API
/// (the records stay untouched). It becomes the schema's <c>example</c>, shown by Scalar and validated against the
/// schema by the lint (so an example that drifts from the record fails the check).
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class OpenApiExampleAttribute(Type recordType, string json) : Attribute
{
    public Type RecordType { get; } = recordType;

    public string Json { get; } = json;
}

/// <summary>Schema transformers that make the generated schemas read as the wire does.</summary>
public static class SchemaTransformers
{
    public static async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        await StringEnums.TransformAsync(schema, context, cancellationToken);
        NumbersAsNumbers(schema);
        var type = context.JsonTypeInfo.Type;
        TimesAsStrings(schema, type, parameter: context.JsonPropertyInfo is null);
        if (schema.Properties is not null && !type.Assembly.IsDynamic
            && type.Assembly.GetCustomAttributes<OpenApiExampleAttribute>().FirstOrDefault(a => a.RecordType == type) is { } example)
        {
            schema.Examples = [JsonNode.Parse(example.Json)!];
        }
    }

    /// <summary>
    /// A time is a string (RFC 3339, with its offset). The converter that refuses one without an offset
    /// (<see cref="Problems.RequiredOffsetConverter"/>) hides that from the schema generator, which then leaves the type
    /// out; a nullable property may be null, as before (a nullable query parameter is absent instead).
    /// </summary>
    private static void TimesAsStrings(OpenApiSchema schema, Type type, bool parameter)
    {
        if (type == typeof(DateTimeOffset) || (parameter && type == typeof(DateTimeOffset?)))
        {
            schema.Type = JsonSchemaType.String;
        }
        else if (type == typeof(DateTimeOffset?))
        {
            schema.Type = JsonSchemaType.Null | JsonSchemaType.String;
        }
    }

    /// <summary>
    /// The platform writes numbers as JSON numbers; that it also reads numbers written as strings (the web defaults) is
    /// leniency, not the contract, so the schema says integer/number, and a generated client gets <c>number</c>.
    /// </summary>
    private static void NumbersAsNumbers(OpenApiSchema schema)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String)
            && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
    }
}
