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
            return (null, [new CatalogError("$", "is not valid JSON: " + e.Message)]);
        }
    }

    public static (MaterialCatalog? Catalog, IReadOnlyList<CatalogError> Errors) Parse(JsonElement root)
    {
        var reader = new Reader();
        var catalog = reader.ReadDocument(root);
        return reader.Errors.Count == 0 ? (catalog, []) : (null, reader.Errors);
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex CodePattern();

    private sealed class Reader
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

        private Condition? ReadCondition(JsonElement element, string path, int depth)
        {
            if (depth > MaxDepth)
            {
                Error(path, $"nests deeper than {MaxDepth} levels");
                return null;
            }
            if (element.ValueKind != JsonValueKind.Object)
            {
                Error(path, "must be a condition object (all, any, not, ref or fact)");
                return null;
            }
            if (element.TryGetProperty("fact", out _))
            {
                return ReadComparison(element, path);
            }
            var keys = element.EnumerateObject().Select(p => p.Name).ToList();
            if (keys.Count != 1)
            {
                Error(path, keys.Count == 0
                    ? "is empty: expected one of all, any, not, ref or fact"
                    : $"has several operators ({string.Join(", ", keys)}): expected exactly one of all, any, not, ref or fact");
                return null;
            }
            var value = element.GetProperty(keys[0]);
            switch (keys[0])
            {
                case "all":
                case "any":
                    if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
                    {
                        Error($"{path}.{keys[0]}", "must be a non-empty array of conditions");
                        return null;
                    }
                    var parts = value.EnumerateArray().Select((c, i) => ReadCondition(c, $"{path}.{keys[0]}[{i}]", depth + 1)).ToList();
                    if (parts.Any(p => p is null))
                    {
                        return null;
                    }
                    return keys[0] == "all" ? new AllCondition(parts!) : new AnyCondition(parts!);
                case "not":
                    return ReadCondition(value, path + ".not", depth + 1) is { } inner ? new NotCondition(inner) : null;
                case "ref":
                    var name = value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
                    if (!_namedSource.ContainsKey(name))
                    {
                        Error(path + ".ref", $"names no condition in $.conditions: '{name}'");
                        return null;
                    }
                    return new ReferenceCondition(name);
                default:
                    Error($"{path}.{keys[0]}", $"unknown operator '{keys[0]}' (expected all, any, not, ref or fact)");
                    return null;
            }
        }

        /// <summary>A cycle among named conditions would make evaluation recurse for ever: refuse it at load.</summary>
        private List<string>? FindCycle()
        {
            var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the path, 2 = done
            List<string>? Visit(string name, List<string> path)
            {
                state[name] = 1;
                path.Add(name);
                foreach (var next in Refs(_namedSource[name]).Where(_namedSource.ContainsKey))
                {
                    if (state.GetValueOrDefault(next) == 1)
                    {
                        return [.. path[path.IndexOf(next)..], next];
                    }
                    if (state.GetValueOrDefault(next) == 0 && Visit(next, path) is { } found)
                    {
                        return found;
                    }
                }
                path.RemoveAt(path.Count - 1);
                state[name] = 2;
                return null;
            }
            foreach (var name in _namedSource.Keys)
            {
                if (state.GetValueOrDefault(name) == 0 && Visit(name, []) is { } cycle)
                {
                    return cycle;
                }
            }
            return null;
        }

        private static IEnumerable<string> Refs(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "ref" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        yield return property.Value.GetString()!;
                    }
                    foreach (var inner in Refs(property.Value))
                    {
                        yield return inner;
                    }
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var inner in element.EnumerateArray().SelectMany(Refs))
                {
                    yield return inner;
                }
            }
        }

        private Condition? ReadComparison(JsonElement element, string path)
        {
            var factElement = element.GetProperty("fact");
            var factName = factElement.ValueKind == JsonValueKind.String ? factElement.GetString()! : "";
            if (!ProfileFacts.All.TryGetValue(factName, out var fact))
            {
                Error(path + ".fact", $"unknown fact '{factName}' (known: {string.Join(", ", ProfileFacts.All.Keys)})");
                fact = null;
            }
            var operators = element.EnumerateObject().Where(p => p.Name != "fact").ToList();
            if (operators.Count != 1)
            {
                Error(path, operators.Count == 0
                    ? "compares nothing: add one operator (eq, ne, in, notIn, gt, gte, lt, lte)"
                    : $"has several operators ({string.Join(", ", operators.Select(o => o.Name))}): use all/any to combine");
                return null;
            }
            var (opName, operand) = (operators[0].Name, operators[0].Value);
            if (!FactComparison.Operators.TryGetValue(opName, out var op))
            {
                Error($"{path}.{opName}", $"unknown operator '{opName}' (expected eq, ne, in, notIn, gt, gte, lt, lte)");
                return null;
            }
            if (fact is null)
            {
                return null;
            }
            if (op is ComparisonOperator.Gt or ComparisonOperator.Gte or ComparisonOperator.Lt or ComparisonOperator.Lte
                && fact.Type is FactType.Boolean or FactType.Text)
            {
                Error($"{path}.{opName}", $"'{opName}' orders values; {fact.Name} is {fact.Type.ToString().ToLowerInvariant()} (use eq, ne, in or notIn)");
                return null;
            }
            var isList = op is ComparisonOperator.In or ComparisonOperator.NotIn;
            if (isList != (operand.ValueKind == JsonValueKind.Array))
            {
                Error($"{path}.{opName}", isList ? "must be an array of values" : "must be a single value, not an array");
                return null;
            }
            var literals = isList ? operand.EnumerateArray().ToList() : [operand];
            if (isList && literals.Count == 0)
            {
                Error($"{path}.{opName}", "must list at least one value");
                return null;
            }
            var values = new List<IComparable>();
            for (var i = 0; i < literals.Count; i++)
            {
                var literalPath = isList ? $"{path}.{opName}[{i}]" : $"{path}.{opName}";
                if (Literal(fact, literals[i], literalPath) is { } value)
                {
                    values.Add(value);
                }
            }
            return values.Count == literals.Count ? new FactComparison(fact, op, values) : null;
        }

        private IComparable? Literal(FactDefinition fact, JsonElement literal, string path)
        {
            switch (fact.Type)
            {
                case FactType.Boolean when literal.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    return literal.GetBoolean();
                case FactType.Number when literal.ValueKind == JsonValueKind.Number && literal.TryGetInt32(out var number):
                    return number;
                case FactType.Date when literal.ValueKind == JsonValueKind.String
                    && DateOnly.TryParseExact(literal.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date):
                    return date;
                case FactType.Text when literal.ValueKind == JsonValueKind.String:
                    var text = literal.GetString()!;
                    if (fact.AllowedValues is { } allowed && !allowed.Contains(text))
                    {
                        Error(path, $"'{text}' is not a value of {fact.Name} (one of: {string.Join(", ", allowed)})");
                        return null;
                    }
                    return text;
                default:
                    var expected = fact.Type switch
                    {
                        FactType.Boolean => "true or false",
                        FactType.Number => "an integer",
                        FactType.Date => "a date string yyyy-MM-dd",
                        _ => "a string",
                    };
                    Error(path, $"{fact.Name} compares with {expected}, not {literal.GetRawText()}");
                    return null;
            }
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
