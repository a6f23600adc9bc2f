using System.Text.Json;
using System.Text.RegularExpressions;
using ExamReview.ServiceDefaults.Problems;

namespace ExamReview.MaterialStorage.Domain.Catalogs;

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

    /// <summary>A document an operator loads: every rule applies.</summary>
    public static (MaterialCatalog? Catalog, IReadOnlyList<CatalogError> Errors) Parse(string json) => Parse(json, storedBefore: false);

    /// <summary>
    /// A version already stored, read as it was checked when it was loaded: a rule for new documents added since
    /// (nothing_required) must not make a version in force, or one a submission is pinned to, unreadable (a 500 for
    /// every candidate of its area). A new version replaces it.
    /// </summary>
    public static (MaterialCatalog? Catalog, IReadOnlyList<CatalogError> Errors) ParseStored(string json) => Parse(json, storedBefore: true);

    private static (MaterialCatalog? Catalog, IReadOnlyList<CatalogError> Errors) Parse(string json, bool storedBefore)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Parse(document.RootElement, storedBefore);
        }
        catch (JsonException e)
        {
            // Where, not the reader's own message (it names its internals: "Expected depth to be zero … LineNumber: 0").
            var (line, position) = (e.LineNumber + 1, e.BytePositionInLine + 1);
            return (null, [new CatalogError("$", "invalid_json", $"不是有效的 JSON（第 {line} 行，该行第 {position} 个字节处）",
                $"is not valid JSON (line {line}, byte {position} of that line)")]);
        }
    }

    public static (MaterialCatalog? Catalog, IReadOnlyList<CatalogError> Errors) Parse(JsonElement root) => Parse(root, storedBefore: false);

    private static (MaterialCatalog? Catalog, IReadOnlyList<CatalogError> Errors) Parse(JsonElement root, bool storedBefore)
    {
        var reader = new Reader { StoredBefore = storedBefore };
        var catalog = reader.ReadDocument(root);
        return reader.Errors.Count == 0 ? (catalog, []) : (null, reader.Errors);
    }

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*\z")]
    private static partial Regex CodePattern();

    private sealed partial class Reader
    {
        private readonly Dictionary<string, JsonElement> _namedSource = new(StringComparer.Ordinal);

        public List<CatalogError> Errors { get; } = [];

        /// <summary>A stored version, checked when loaded: the rules for new documents only are not applied again.</summary>
        public bool StoredBefore { get; init; }

        private void Error(string path, string code, string messageZh, string messageEn) => Errors.Add(new CatalogError(path, code, messageZh, messageEn));

        public MaterialCatalog? ReadDocument(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("$", "wrong_type", "应为 JSON 对象", "must be a JSON object");
                return null;
            }
            // A name given twice is read as one of the two (which one, the reader decides): refused, wherever it is.
            FindDuplicates(root, "$");
            CheckKeys(root, "$", DocumentKeys);
            if (root.TryGetProperty("title", out var title) && title.ValueKind != JsonValueKind.String)
            {
                Error("$.title", "wrong_type", "应为字符串", "must be a string");
            }

            var conditions = new Dictionary<string, Condition>(StringComparer.Ordinal);
            if (root.TryGetProperty("conditions", out var named))
            {
                if (named.ValueKind != JsonValueKind.Object)
                {
                    Error("$.conditions", "wrong_type", "应为由具名条件组成的对象", "must be an object of named conditions");
                }
                else
                {
                    foreach (var property in named.EnumerateObject())
                    {
                        _namedSource[property.Name] = property.Value;
                    }
                    if (FindCycle() is { } cycle)
                    {
                        var chain = ProblemText.Echo(string.Join(" -> ", cycle));
                        Error("$.conditions." + cycle[0], "condition_cycle", $"具名条件相互引用，构成循环：{chain}", $"named conditions refer to each other in a cycle: {chain}");
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
                Error("$.materialTypes", "required", "必填：材料类型组成的非空数组", "is required: a non-empty array of material types");
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
                        var repeated = ProblemText.Echo(code.GetString());
                        Error(path + ".code", "duplicate_code", $"材料类型代码“{repeated}”出现了不止一次", $"'{repeated}' appears more than once");
                    }
                    if (ReadType(item, path) is { } type)
                    {
                        types.Add(type);
                    }
                }
            }
            // A catalog in which no rule can ever say "required" lets every candidate submit an empty application (提交审核
            // with nothing uploaded locks it and sends reviewers a case without a single image): an operator's slip, such
            // as every type left "optional", refused rather than put in force.
            if (Errors.Count == 0 && !StoredBefore && !types.Any(t => t.Rule.CanRequire))
            {
                Error("$.materialTypes", "nothing_required", "没有任何材料类型的规则会得出 required：考生将可以不上传任何材料就提交审核。至少一类材料应为必传",
                    "no material type's rule can yield required: candidates could submit without uploading anything; at least one type must be required");
            }
            return Errors.Count == 0 ? new MaterialCatalog(types, conditions) : null;
        }

        private MaterialTypeDefinition? ReadType(JsonElement item, string path)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                Error(path, "wrong_type", "应为对象", "must be an object");
                return null;
            }
            var before = Errors.Count;
            CheckKeys(item, path, TypeKeys);
            var code = RequiredString(item, path, "code", 64);
            if (code is not null && !CodePattern().IsMatch(code))
            {
                Error(path + ".code", "invalid_code", "应为小写字母和数字，以单个连字符分隔，例如“id-card”",
                    "must be lower-case letters and digits separated by single hyphens, e.g. 'id-card'");
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
                    Error(path + ".exampleImage", "invalid_value", "应为非空字符串（URL 或对象键），最多 500 个字符",
                        "must be a non-empty string (a URL or object key) of at most 500 characters");
                }
            }
            var min = Count(item, path, "minCount", 0);
            var max = Count(item, path, "maxCount", 1);
            if (min is not null && max is not null && min > max)
            {
                Error(path + ".minCount", "min_exceeds_max", $"（{min}）不能大于 maxCount（{max}）", $"({min}) must not exceed maxCount ({max})");
            }

            FactDefinition? countFact = null;
            if (item.TryGetProperty("countFact", out var countElement))
            {
                var factName = countElement.ValueKind == JsonValueKind.String ? countElement.GetString()! : "";
                if (!ProfileFacts.All.TryGetValue(factName, out countFact) || countFact.Type != FactType.Number)
                {
                    var numbers = ProfileFacts.All.Values.Where(f => f.Type == FactType.Number).Select(f => f.Name).ToList();
                    Error(path + ".countFact", "invalid_count_fact", $"应为整数类的事实：{string.Join("、", numbers)}", $"must name an integer fact ({string.Join(", ", numbers)})");
                    countFact = null;
                }
            }

            Rule? rule = null;
            if (!item.TryGetProperty("rule", out var ruleElement))
            {
                Error(path + ".rule", "required", "必填", "is required");
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
                Error(path, "too_deep", $"嵌套超过 {MaxDepth} 层", $"nests deeper than {MaxDepth} levels");
                return null;
            }
            if (element.ValueKind == JsonValueKind.String)
            {
                if (RequirementNames.Parse(element.GetString()) is { } outcome)
                {
                    return new OutcomeRule(outcome);
                }
                var given = ProblemText.Echo(element.GetString());
                Error(path, "unknown_outcome", $"未知的结果“{given}”（应为 required、optional 或 not-applicable）",
                    $"unknown outcome '{given}' (expected required, optional or not-applicable)");
                return null;
            }
            if (element.ValueKind != JsonValueKind.Object)
            {
                Error(path, "wrong_type", "应为结果字符串，或含 if/then/else 的对象", "must be an outcome string or an object with if/then/else");
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
                    Error($"{path}.{key}", "required", "必填", "is required");
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
                    Error($"{path}.{property.Name}", "unknown_property", $"未知的属性（可用：{string.Join("、", known)}）",
                        $"unknown property (expected: {string.Join(", ", known)})");
                }
            }
        }

        private void FindDuplicates(JsonElement element, string path)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var at = $"{path}.{property.Name}";
                    if (!seen.Add(property.Name))
                    {
                        Error(at, "duplicate_property", "同一对象中此属性出现了不止一次", "appears more than once in the same object");
                    }
                    FindDuplicates(property.Value, at);
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    FindDuplicates(item, $"{path}[{index++}]");
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
            Error($"{path}.{name}", "required", $"必填：非空字符串，最多 {maxLength} 个字符", $"is required: a non-empty string of at most {maxLength} characters");
            return null;
        }

        private int? Count(JsonElement item, string path, string name, int minimum)
        {
            if (item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count)
                && count >= minimum && count <= 50)
            {
                return count;
            }
            Error($"{path}.{name}", "required", $"必填：{minimum} 到 50 的整数", $"is required: an integer from {minimum} to 50");
            return null;
        }
    }
}
