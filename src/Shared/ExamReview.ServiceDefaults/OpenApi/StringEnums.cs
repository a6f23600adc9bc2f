using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ExamReview.ServiceDefaults.OpenApi;

/// <summary>
/// Declares, in the service's assembly, that a string property of a response or request record only ever holds these
/// values (the views write enum names or labels as strings), so its schema lists them and a generated client gets a
/// union type. Kept beside the service as an assembly attribute, so the records themselves stay untouched.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class OpenApiStringEnumAttribute : Attribute
{
    /// <summary>The property holds the names of <paramref name="enumType"/>, as <c>ToString()</c> writes them.</summary>
    public OpenApiStringEnumAttribute(Type recordType, string property, Type enumType)
        : this(recordType, property, Enum.GetNames(enumType))
    {
    }

    /// <summary>
    /// The property holds one of the strings of the static field or property <paramref name="valuesMember"/> of
    /// <paramref name="valuesType"/> (the list the handler validates against, e.g. <c>ExamCategories.All</c>).
    /// </summary>
    public OpenApiStringEnumAttribute(Type recordType, string property, Type valuesType, string valuesMember)
        : this(recordType, property, StaticValues(valuesType, valuesMember))
    {
    }

    /// <summary>The property holds one of <paramref name="values"/>.</summary>
    public OpenApiStringEnumAttribute(Type recordType, string property, params string[] values)
    {
        RecordType = recordType;
        Property = property;
        Values = values;
    }

    public Type RecordType { get; }

    /// <summary>The C# property name; matched against the schema's camelCase property.</summary>
    public string Property { get; }

    public IReadOnlyList<string> Values { get; }

    private static string[] StaticValues(Type type, string member)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Static;
        var value = type.GetField(member, flags)?.GetValue(null) ?? type.GetProperty(member, flags)?.GetValue(null);
        return value is IEnumerable<string> values
            ? values.ToArray()
            : throw new InvalidOperationException($"{type.Name}.{member} is not a public static list of strings.");
    }
}

/// <summary>Writes the declared values of <see cref="OpenApiStringEnumAttribute"/> into the schemas.</summary>
public static class StringEnums
{
    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        // A record is described once, wherever it is met first: as a body, or as another record's property.
        if (schema.Properties is null || type.Assembly.IsDynamic)
        {
            return Task.CompletedTask;
        }
        foreach (var declared in type.Assembly.GetCustomAttributes<OpenApiStringEnumAttribute>().Where(a => a.RecordType == type))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(declared.Property);
            if (!schema.Properties.TryGetValue(name, out var property) || property is not OpenApiSchema inline)
            {
                throw new InvalidOperationException($"{type.Name} has no inline string property '{name}' to list values for.");
            }
            inline.Enum = declared.Values.Select(v => (JsonNode)JsonValue.Create(v)!).ToList();
            if (inline.Type?.HasFlag(JsonSchemaType.Null) == true)
            {
                // A nullable field: null stays a valid value beside the listed ones.
                inline.Enum.Add(null!);
            }
        }
        return Task.CompletedTask;
    }
}

/// <summary>The values a string parameter of an endpoint accepts, declared beside its mapping.</summary>
public sealed record ParameterValuesMetadata(string Parameter, IReadOnlyList<string> Values);

/// <summary>Writes <see cref="ParameterValuesMetadata"/> into the operation's parameters.</summary>
public static class ParameterValues
{
    public static void Apply(OpenApiOperation operation, IList<object> metadata)
    {
        foreach (var declared in metadata.OfType<ParameterValuesMetadata>())
        {
            var parameter = operation.Parameters?.FirstOrDefault(p => p.Name == declared.Parameter)
                ?? throw new InvalidOperationException($"{operation.OperationId} has no parameter '{declared.Parameter}' to list values for.");
            if (parameter.Schema is OpenApiSchema schema)
            {
                schema.Enum = declared.Values.Select(v => (JsonNode)JsonValue.Create(v)!).ToList();
            }
        }
    }
}
