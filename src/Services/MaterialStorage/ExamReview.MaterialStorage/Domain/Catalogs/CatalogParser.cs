using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ExamReview.MaterialStorage.Domain.Catalogs;

/// <summary>One thing wrong with a catalog document, located by a JSON path such as <c>$.materialTypes[2].rule.if.fact</c>.</summary>
public sealed record CatalogError(string Path, string Message);

/// <summary>
/// Reads a catalog document (JSON) into a <see cref="MaterialCatalog"/>, refusing anything it does not know:
/// unknown properties, facts, operators, outcomes, enum values, named conditions, wrong literal types.
/// Every error is collected with its path so an operator can fix the document in one go.
///
/// Document shape:
/// <code>
/// { "title": "...", "conditions": { "name": COND, ... },
///   "materialTypes": [ { "code", "name", "description", "exampleImage", "minCount", "maxCount", "countFact"?, "rule" } ] }
/// RULE := "required" | "optional" | "not-applicable" | { "if": COND, "then": RULE, "else": RULE }
/// COND := { "all": [COND] } | { "any": [COND] } | { "not": COND } | { "ref": "name" }
///       | { "fact": "name", "eq"|"ne"|"gt"|"gte"|"lt"|"lte": value } | { "fact": "name", "in"|"notIn": [value] }
/// </code>
/// Dates are "yyyy-MM-dd" strings.
/// </summary>
public static partial class CatalogParser
{
    public const int MaxDepth = 16;
    private static readonly string[] DocumentKeys = ["title", "conditions", "materialTypes"];
    private static readonly string[] TypeKeys = ["code", "name", "description", "exampleImage", "minCount", "maxCount", "countFact", "rule"];
    private static readonly string[] RuleKeys = ["if", "then", "else"];

    public static (MaterialCatalog? Catalog, IReadOnlyList<CatalogError> Errors) Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Parse(document.RootElement);
        }
        catch (JsonException e)
        {
            // Where, not the reader's own message (it names its internals: "Expected depth to be zero … LineNumber: 0").
            return (null, [new CatalogError("$", $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1} of that line)")]);
        }
    }

    public static (MaterialCatalog? Catalog, IReadOnlyList<CatalogError> Errors) Parse(JsonElement root)
    {
        var reader = new Reader();
        var catalog = reader.ReadDocument(root);
        return reader.Errors.Count == 0 ? (catalog, []) : (null, reader.Errors);
    }

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*\z")]
    private static partial Regex CodePattern();

    private sealed partial class Reader
    {
        private readonly Dictionary<string, JsonElement> _namedSource = new(StringComparer.Ordinal);

        public List<CatalogError> Errors { get; } = [];

        private void Error(string path, string message) => Errors.Add(new CatalogError(path, message));

        public MaterialCatalog? ReadDocument(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("$", "must be a JSON object");
                return null;
            }
            CheckKeys(root, "$", DocumentKeys);
            if (root.TryGetProperty("title", out var title) && title.ValueKind != JsonValueKind.String)
            {
                Error("$.title", "must be a string");
            }

            var conditions = new Dictionary<string, Condition>(StringComparer.Ordinal);
            if (root.TryGetProperty("conditions", out var named))
            {
                if (named.ValueKind != JsonValueKind.Object)
                {
                    Error("$.conditions", "must be an object of named conditions");
                }
                else
                {
                    foreach (var property in named.EnumerateObject())
                    {
                        _namedSource[property.Name] = property.Value;
                    }
                    if (FindCycle() is { } cycle)
                    {
                        Error("$.conditions." + cycle[0], "named conditions refer to each other in a cycle: " + string.Join(" -> ", cycle));
                    }
                    foreach (var property in named.EnumerateObject())
                    {
                        if (ReadCondition(property.Value, $"$.conditions.{property.Name}", 0) is { } condition)
                        {
                            conditions[property.Name] = condition;
                        }
                    }
                }
            }

            var types = new List<MaterialTypeDefinition>();
            if (!root.TryGetProperty("materialTypes", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            {
                Error("$.materialTypes", "is required: a non-empty array of material types");
            }
            else
            {
                var codes = new HashSet<string>(StringComparer.Ordinal);
                var index = 0;
                foreach (var item in list.EnumerateArray())
                {
                    var path = $"$.materialTypes[{index++}]";
                    if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("code", out var code)
                        && code.ValueKind == JsonValueKind.String && !codes.Add(code.GetString()!))
                    {
                        Error(path + ".code", $"'{code.GetString()}' appears more than once");
                    }
                    if (ReadType(item, path) is { } type)
                    {
                        types.Add(type);
                    }
                }
            }
            return Errors.Count == 0 ? new MaterialCatalog(types, conditions) : null;
        }

        private MaterialTypeDefinition? ReadType(JsonElement item, string path)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                Error(path, "must be an object");
                return null;
            }
            var before = Errors.Count;
            CheckKeys(item, path, TypeKeys);
            var code = RequiredString(item, path, "code", 64);
            if (code is not null && !CodePattern().IsMatch(code))
            {
                Error(path + ".code", "must be lower-case letters and digits separated by single hyphens, e.g. 'id-card'");
            }
            var name = RequiredString(item, path, "name", 200);
            var description = RequiredString(item, path, "description", 2000);
            string? example = null;
            if (item.TryGetProperty("exampleImage", out var exampleElement))
            {
                if (exampleElement.ValueKind == JsonValueKind.String && exampleElement.GetString()!.Length is > 0 and <= 500)
                {
                    example = exampleElement.GetString();
                }
                else
                {
                    Error(path + ".exampleImage", "must be a non-empty string (a URL or object key) of at most 500 characters");
                }
            }
            var min = Count(item, path, "minCount", 0);
            var max = Count(item, path, "maxCount", 1);
            if (min is not null && max is not null && min > max)
            {
                Error(path + ".minCount", $"({min}) must not exceed maxCount ({max})");
            }

            FactDefinition? countFact = null;
            if (item.TryGetProperty("countFact", out var countElement))
            {
                var factName = countElement.ValueKind == JsonValueKind.String ? countElement.GetString()! : "";
                if (!ProfileFacts.All.TryGetValue(factName, out countFact) || countFact.Type != FactType.Number)
                {
                    Error(path + ".countFact", $"must name an integer fact ({string.Join(", ", ProfileFacts.All.Values.Where(f => f.Type == FactType.Number).Select(f => f.Name))})");
                    countFact = null;
                }
            }

            Rule? rule = null;
            if (!item.TryGetProperty("rule", out var ruleElement))
            {
                Error(path + ".rule", "is required");
            }
            else
            {
                rule = ReadRule(ruleElement, path + ".rule", 0);
            }
            return Errors.Count == before ? new MaterialTypeDefinition(code!, name!, description!, example, min!.Value, max!.Value, countFact, rule!) : null;
        }

        private Rule? ReadRule(JsonElement element, string path, int depth)
        {
            if (depth > MaxDepth)
            {
                Error(path, $"nests deeper than {MaxDepth} levels");
                return null;
            }
            if (element.ValueKind == JsonValueKind.String)
            {
                if (RequirementNames.Parse(element.GetString()) is { } outcome)
                {
                    return new OutcomeRule(outcome);
                }
                Error(path, $"unknown outcome '{element.GetString()}' (expected required, optional or not-applicable)");
                return null;
            }
            if (element.ValueKind != JsonValueKind.Object)
            {
                Error(path, "must be an outcome string or an object with if/then/else");
                return null;
            }
            CheckKeys(element, path, RuleKeys);
            Condition? condition = null;
            Rule? then = null;
            Rule? otherwise = null;
            foreach (var key in RuleKeys)
            {
                if (!element.TryGetProperty(key, out var part))
                {
                    Error($"{path}.{key}", "is required");
                    continue;
                }
                switch (key)
                {
                    case "if":
                        condition = ReadCondition(part, path + ".if", depth + 1);
                        break;
                    case "then":
                        then = ReadRule(part, path + ".then", depth + 1);
                        break;
                    default:
                        otherwise = ReadRule(part, path + ".else", depth + 1);
                        break;
                }
            }
            return condition is null || then is null || otherwise is null ? null : new ConditionalRule(condition, then, otherwise);
        }

        private void CheckKeys(JsonElement element, string path, string[] known)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                {
                    Error($"{path}.{property.Name}", $"unknown property (expected: {string.Join(", ", known)})");
                }
            }
        }

        private string? RequiredString(JsonElement item, string path, string name, int maxLength)
        {
            if (item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(value.GetString()) && value.GetString()!.Length <= maxLength)
            {
                return value.GetString();
            }
            Error($"{path}.{name}", $"is required: a non-empty string of at most {maxLength} characters");
            return null;
        }

        private int? Count(JsonElement item, string path, string name, int minimum)
        {
            if (item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count)
                && count >= minimum && count <= 50)
            {
                return count;
            }
            Error($"{path}.{name}", $"is required: an integer from {minimum} to 50");
            return null;
        }
    }
}
