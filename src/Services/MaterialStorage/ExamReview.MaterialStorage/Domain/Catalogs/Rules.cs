using System.Globalization;

namespace ExamReview.MaterialStorage.Domain.Catalogs;

/// <summary>What a material type is for one candidate.</summary>
public enum Requirement
{
    NotApplicable = 0,
    Optional = 1,
    Required = 2,
}

public static class RequirementNames
{
    public const string Required = "required";
    public const string Optional = "optional";
    public const string NotApplicable = "not-applicable";

    public static string Name(this Requirement requirement) => requirement switch
    {
        Requirement.Required => Required,
        Requirement.Optional => Optional,
        _ => NotApplicable,
    };

    public static Requirement? Parse(string? text) => text switch
    {
        Required => Requirement.Required,
        Optional => Requirement.Optional,
        NotApplicable => Requirement.NotApplicable,
        _ => null,
    };
}

/// <summary>
/// A rule decides a material type's requirement: an outcome, or <c>if</c> a condition <c>then</c> one rule
/// <c>else</c> another. Rules are checked when the catalog is loaded; evaluating one cannot fail.
/// </summary>
public abstract record Rule
{
    public abstract Requirement Evaluate(CandidateProfile profile, IReadOnlyDictionary<string, Condition> named);

    /// <summary>Whether some branch of the rule ends in <c>required</c> (whatever the conditions on the way).</summary>
    public abstract bool CanRequire { get; }
}

public sealed record OutcomeRule(Requirement Outcome) : Rule
{
    public override Requirement Evaluate(CandidateProfile profile, IReadOnlyDictionary<string, Condition> named) => Outcome;

    public override bool CanRequire => Outcome == Requirement.Required;
}

public sealed record ConditionalRule(Condition If, Rule Then, Rule Else) : Rule
{
    public override Requirement Evaluate(CandidateProfile profile, IReadOnlyDictionary<string, Condition> named) =>
        If.Test(profile, named) ? Then.Evaluate(profile, named) : Else.Evaluate(profile, named);

    public override bool CanRequire => Then.CanRequire || Else.CanRequire;
}

public abstract record Condition
{
    public abstract bool Test(CandidateProfile profile, IReadOnlyDictionary<string, Condition> named);
}

public sealed record AllCondition(IReadOnlyList<Condition> Conditions) : Condition
{
    public override bool Test(CandidateProfile profile, IReadOnlyDictionary<string, Condition> named) => Conditions.All(c => c.Test(profile, named));
}

public sealed record AnyCondition(IReadOnlyList<Condition> Conditions) : Condition
{
    public override bool Test(CandidateProfile profile, IReadOnlyDictionary<string, Condition> named) => Conditions.Any(c => c.Test(profile, named));
}

public sealed record NotCondition(Condition Inner) : Condition
{
    public override bool Test(CandidateProfile profile, IReadOnlyDictionary<string, Condition> named) => !Inner.Test(profile, named);
}

/// <summary>A named condition of the catalog (<c>"conditions"</c>), resolved at load time, so it always exists here.</summary>
public sealed record ReferenceCondition(string Name) : Condition
{
    public override bool Test(CandidateProfile profile, IReadOnlyDictionary<string, Condition> named) => named[Name].Test(profile, named);
}

public enum ComparisonOperator
{
    Eq,
    Ne,
    In,
    NotIn,
    Gt,
    Gte,
    Lt,
    Lte,
}

/// <summary>
/// Compares a fact with literal values (already converted to the fact's type at load). A fact the candidate
/// has not declared (a null date or year) satisfies only <c>ne</c> and <c>notIn</c>.
/// </summary>
public sealed record FactComparison(FactDefinition Fact, ComparisonOperator Operator, IReadOnlyList<IComparable> Values) : Condition
{
    public static readonly IReadOnlyDictionary<string, ComparisonOperator> Operators = new Dictionary<string, ComparisonOperator>(StringComparer.Ordinal)
    {
        ["eq"] = ComparisonOperator.Eq,
        ["ne"] = ComparisonOperator.Ne,
        ["in"] = ComparisonOperator.In,
        ["notIn"] = ComparisonOperator.NotIn,
        ["gt"] = ComparisonOperator.Gt,
        ["gte"] = ComparisonOperator.Gte,
        ["lt"] = ComparisonOperator.Lt,
        ["lte"] = ComparisonOperator.Lte,
    };

    public override bool Test(CandidateProfile profile, IReadOnlyDictionary<string, Condition> named)
    {
        if (Fact.Read(profile) is not IComparable actual)
        {
            return Operator is ComparisonOperator.Ne or ComparisonOperator.NotIn;
        }
        return Operator switch
        {
            ComparisonOperator.Eq => actual.CompareTo(Values[0]) == 0,
            ComparisonOperator.Ne => actual.CompareTo(Values[0]) != 0,
            ComparisonOperator.In => Values.Any(v => actual.CompareTo(v) == 0),
            ComparisonOperator.NotIn => Values.All(v => actual.CompareTo(v) != 0),
            ComparisonOperator.Gt => actual.CompareTo(Values[0]) > 0,
            ComparisonOperator.Gte => actual.CompareTo(Values[0]) >= 0,
            ComparisonOperator.Lt => actual.CompareTo(Values[0]) < 0,
            ComparisonOperator.Lte => actual.CompareTo(Values[0]) <= 0,
            _ => false,
        };
    }

    public override string ToString() =>
        $"{Fact.Name} {Operator} {string.Join(",", Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))}";
}
