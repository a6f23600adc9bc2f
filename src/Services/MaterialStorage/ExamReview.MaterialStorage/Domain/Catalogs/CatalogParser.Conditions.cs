using System.Globalization;
using System.Text.Json;
using ExamReview.ServiceDefaults.Problems;

namespace ExamReview.MaterialStorage.Domain.Catalogs;

/// <summary>The condition half of the catalog reader: all/any/not/ref, fact comparisons and their literals, cycles among named conditions.</summary>
public static partial class CatalogParser
{
    private sealed partial class Reader
    {
        private Condition? ReadCondition(JsonElement element, string path, int depth)
        {
            if (depth > MaxDepth)
            {
                Error(path, "too_deep", $"嵌套超过 {MaxDepth} 层", $"nests deeper than {MaxDepth} levels");
                return null;
            }
            if (element.ValueKind != JsonValueKind.Object)
            {
                Error(path, "wrong_type", "应为条件对象（all、any、not、ref 或 fact）", "must be a condition object (all, any, not, ref or fact)");
                return null;
            }
            if (element.TryGetProperty("fact", out _))
            {
                return ReadComparison(element, path);
            }
            var keys = element.EnumerateObject().Select(p => p.Name).ToList();
            if (keys.Count != 1)
            {
                var given = ProblemText.Echo(string.Join(", ", keys));
                if (keys.Count == 0)
                {
                    Error(path, "operator_count", "为空：应为 all、any、not、ref 或 fact 之一", "is empty: expected one of all, any, not, ref or fact");
                }
                else
                {
                    Error(path, "operator_count", $"含有多个运算符（{given}）：应恰好为 all、any、not、ref 或 fact 之一",
                        $"has several operators ({given}): expected exactly one of all, any, not, ref or fact");
                }
                return null;
            }
            var value = element.GetProperty(keys[0]);
            switch (keys[0])
            {
                case "all":
                case "any":
                    if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
                    {
                        Error($"{path}.{keys[0]}", "wrong_type", "应为由条件组成的非空数组", "must be a non-empty array of conditions");
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
                        var named = ProblemText.Echo(name);
                        Error(path + ".ref", "unknown_condition", $"$.conditions 中没有名为“{named}”的条件", $"names no condition in $.conditions: '{named}'");
                        return null;
                    }
                    return new ReferenceCondition(name);
                default:
                    var unknown = ProblemText.Echo(keys[0]);
                    Error($"{path}.{keys[0]}", "unknown_operator", $"未知的运算符“{unknown}”（应为 all、any、not、ref 或 fact）",
                        $"unknown operator '{unknown}' (expected all, any, not, ref or fact)");
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
                var unknown = ProblemText.Echo(factName);
                Error(path + ".fact", "unknown_fact", $"未知的事实“{unknown}”（可用：{string.Join("、", ProfileFacts.All.Keys)}）",
                    $"unknown fact '{unknown}' (known: {string.Join(", ", ProfileFacts.All.Keys)})");
                fact = null;
            }
            var operators = element.EnumerateObject().Where(p => p.Name != "fact").ToList();
            if (operators.Count != 1)
            {
                var given = ProblemText.Echo(string.Join(", ", operators.Select(o => o.Name)));
                if (operators.Count == 0)
                {
                    Error(path, "operator_count", "没有比较：请加一个运算符（eq、ne、in、notIn、gt、gte、lt、lte）",
                        "compares nothing: add one operator (eq, ne, in, notIn, gt, gte, lt, lte)");
                }
                else
                {
                    Error(path, "operator_count", $"含有多个运算符（{given}）：请用 all/any 组合", $"has several operators ({given}): use all/any to combine");
                }
                return null;
            }
            var (opName, operand) = (operators[0].Name, operators[0].Value);
            if (!FactComparison.Operators.TryGetValue(opName, out var op))
            {
                var unknown = ProblemText.Echo(opName);
                Error($"{path}.{opName}", "unknown_operator", $"未知的运算符“{unknown}”（应为 eq、ne、in、notIn、gt、gte、lt、lte）",
                    $"unknown operator '{unknown}' (expected eq, ne, in, notIn, gt, gte, lt, lte)");
                return null;
            }
            if (fact is null)
            {
                return null;
            }
            if (op is ComparisonOperator.Gt or ComparisonOperator.Gte or ComparisonOperator.Lt or ComparisonOperator.Lte
                && fact.Type is FactType.Boolean or FactType.Text)
            {
                var type = fact.Type.ToString().ToLowerInvariant();
                Error($"{path}.{opName}", "operator_not_applicable", $"“{opName}”比较大小，而 {fact.Name} 是 {type} 类型（请用 eq、ne、in 或 notIn）",
                    $"'{opName}' orders values; {fact.Name} is {type} (use eq, ne, in or notIn)");
                return null;
            }
            var isList = op is ComparisonOperator.In or ComparisonOperator.NotIn;
            if (isList != (operand.ValueKind == JsonValueKind.Array))
            {
                if (isList)
                {
                    Error($"{path}.{opName}", "wrong_type", "应为值的数组", "must be an array of values");
                }
                else
                {
                    Error($"{path}.{opName}", "wrong_type", "应为单个值，而不是数组", "must be a single value, not an array");
                }
                return null;
            }
            var literals = isList ? operand.EnumerateArray().ToList() : [operand];
            if (isList && literals.Count == 0)
            {
                Error($"{path}.{opName}", "required", "至少列出一个值", "must list at least one value");
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
                        var given = ProblemText.Echo(text);
                        Error(path, "unknown_value", $"“{given}”不是 {fact.Name} 的取值（可用：{string.Join("、", allowed)}）",
                            $"'{given}' is not a value of {fact.Name} (one of: {string.Join(", ", allowed)})");
                        return null;
                    }
                    return text;
                default:
                    var (expectedZh, expectedEn) = fact.Type switch
                    {
                        FactType.Boolean => ("true 或 false", "true or false"),
                        FactType.Number => ("整数", "an integer"),
                        FactType.Date => ("yyyy-MM-dd 格式的日期字符串", "a date string yyyy-MM-dd"),
                        _ => ("字符串", "a string"),
                    };
                    var raw = ProblemText.Echo(literal.GetRawText());
                    Error(path, "wrong_type", $"{fact.Name} 应与{expectedZh}比较，而不是 {raw}", $"{fact.Name} compares with {expectedEn}, not {raw}");
                    return null;
            }
        }
    }
}
