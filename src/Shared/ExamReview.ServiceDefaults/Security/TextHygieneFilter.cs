using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using ExamReview.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExamReview.ServiceDefaults.Security;

/// <summary>
/// Applies <see cref="TextHygiene"/> to every endpoint's input, before its handler runs: string parameters (route,
/// query, form), every string of request records (nested records and lists included) and of raw JSON documents.
/// One filter on every module's endpoints, so a new request record cannot forget it. A property whose name ends in
/// "Name" is single-line, as is a bare string parameter; every other string is free text that may break lines. A
/// password (a property whose name ends in "Password") is not inspected: it is only ever hashed.
/// </summary>
public static class TextHygieneFilter
{
    private const int MaxDepth = 6;
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        var inputs = factory.MethodInfo.GetParameters()
            .Select((p, index) => (Index: index, Name: p.Name ?? $"arg{index}", p.ParameterType, Flattened: EndpointArguments.IsParameterRecord(p)))
            .Where(p => IsInspected(p.ParameterType))
            .ToArray();
        if (inputs.Length == 0)
        {
            return next;
        }
        return async context =>
        {
            foreach (var (index, name, _, flattened) in inputs)
            {
                var argument = context.Arguments[index];
                var refused = flattened && argument is not null
                    // An [AsParameters] record: its properties are the inputs, named as the client sent them.
                    ? Properties.GetOrAdd(argument.GetType(), InspectedProperties)
                        .Select(property => FindInInput(property.GetValue(argument), property.Name))
                        .FirstOrDefault(found => found is not null)
                    : FindInInput(argument, name);
                if (refused is { } found)
                {
                    return Refusal(found.Field, found.Character);
                }
            }
            return await next(context);
        };
    }

    // A record's fields are named as the client sent them; a bare string (route, query, form value) is one line.
    private static (string Field, char Character)? FindInInput(object? input, string name) =>
        Find(input, input is not null && IsRecord(input.GetType()) ? "" : Camel(name), singleLine: input is string || IsNameField(name), depth: 0);

    public static ProblemHttpResult Refusal(string field, char character)
    {
        // A field's path can hold a JSON document's own property names: quoted as any other input.
        var (code, shown) = (TextHygiene.Describe(character), Problems.ProblemText.Echo(field));
        return Problems.Problems.Localised(StatusCodes.Status400BadRequest, "invalid_characters",
            $"“{shown}”中含有不允许的字符（{code}，控制字符或不可见的格式字符），请删除后重新提交。",
            $"'{shown}' contains a character that is not allowed ({code}, a control or invisible formatting character); remove it and try again.",
            new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [shown] = [$"含有不允许的字符 {code}"] } });
    }

    private static (string Field, char Character)? Find(object? value, string field, bool singleLine, int depth)
    {
        switch (value)
        {
            case null:
                return null;
            case string text:
                return TextHygiene.FirstForbidden(text, singleLine) is { } c ? (field, c) : null;
            case JsonElement json:
                return FindInJson(json, field, depth);
            case IEnumerable items when depth < MaxDepth && value is not IFormFile and not IFormFileCollection:
                var i = 0;
                foreach (var item in items)
                {
                    if (Find(item, $"{field}[{i++}]", singleLine, depth + 1) is { } found)
                    {
                        return found;
                    }
                }
                return null;
        }
        if (depth >= MaxDepth || !IsRecord(value.GetType()))
        {
            return null;
        }
        foreach (var property in Properties.GetOrAdd(value.GetType(), InspectedProperties))
        {
            if (IsSecretField(property.Name))
            {
                continue;
            }
            var name = field.Length == 0 ? Camel(property.Name) : $"{field}.{Camel(property.Name)}";
            if (Find(property.GetValue(value), name, IsNameField(property.Name), depth + 1) is { } found)
            {
                return found;
            }
        }
        return null;
    }

    private static (string Field, char Character)? FindInJson(JsonElement json, string field, int depth)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                return TextHygiene.FirstForbidden(json.GetString(), singleLine: false) is { } c ? (field, c) : null;
            case JsonValueKind.Object when depth < MaxDepth * 4:
                foreach (var property in json.EnumerateObject())
                {
                    if (TextHygiene.FirstForbidden(property.Name, singleLine: true) is { } k)
                    {
                        return (field, k);
                    }
                    if (FindInJson(property.Value, $"{field}.{property.Name}", depth + 1) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValueKind.Array when depth < MaxDepth * 4:
                var i = 0;
                foreach (var item in json.EnumerateArray())
                {
                    if (FindInJson(item, $"{field}[{i++}]", depth + 1) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>Parameters a client supplies as text: strings, JSON documents, request records (and lists of them).</summary>
    private static bool IsInspected(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying == typeof(string) || underlying == typeof(JsonElement) || underlying == typeof(string[]) || IsRecord(underlying)
            || (underlying.IsGenericType && underlying.GetGenericArguments() is [var item] && typeof(IEnumerable).IsAssignableFrom(underlying) && IsInspected(item));
    }

    /// <summary>Records declare the compiler's clone method; services and framework types do not.</summary>
    private static bool IsRecord(Type type) => type.IsClass && type.GetMethod("<Clone>$") is not null;

    private static PropertyInfo[] InspectedProperties(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && IsInspected(p.PropertyType))];

    private static bool IsNameField(string name) => name.EndsWith("Name", StringComparison.OrdinalIgnoreCase);

    // A password is never shown, logged or stored as typed (only its hash), so none of the reasons above applies to it,
    // and refusing a character in it would lock out whoever chose one before the rule (or only tell them it is wrong).
    private static bool IsSecretField(string name) => name.EndsWith("Password", StringComparison.OrdinalIgnoreCase);

    private static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
