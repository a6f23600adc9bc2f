using System.Text.Json.Nodes;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;

namespace ExamReview.UnitTests.Materials;

/// <summary>The rule language: what it evaluates, and what it refuses at load time (never at evaluation).</summary>
public sealed class CatalogParserTests
{
    private static string Catalog(string rule, string extraType = "", string conditions = "{}") => $$"""
        {
          "title": "test",
          "conditions": {{conditions}},
          "materialTypes": [
            { "code": "x-ray", "name": "X", "description": "d", "exampleImage": "examples/x.png", "minCount": 1, "maxCount": 2, "rule": {{rule}} {{extraType}} }
          ]
        }
        """;

    private static IReadOnlyList<CatalogError> Errors(string json)
    {
        var (catalog, errors) = CatalogParser.Parse(json);
        Assert.Null(catalog);
        Assert.NotEmpty(errors);
        return errors;
    }

    private static Requirement Evaluate(string rule, CandidateProfile profile, string conditions = "{}")
    {
        var (catalog, errors) = CatalogParser.Parse(Catalog(rule, conditions: conditions));
        Assert.True(catalog is not null, string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")));
        return catalog!.Evaluate(catalog.Types[0], profile).Requirement;
    }

    [Fact]
    public void Operators_compare_text_numbers_dates_and_booleans()
    {
        Assert.Equal(Requirement.Required, Evaluate("""{ "if": { "fact": "nationality", "in": ["foreign", "hong-kong-macao-taiwan"] }, "then": "required", "else": "optional" }""", new CandidateProfile { Nationality = "foreign" }));
        Assert.Equal(Requirement.Optional, Evaluate("""{ "if": { "fact": "nationality", "notIn": ["mainland"] }, "then": "required", "else": "optional" }""", new CandidateProfile()));
        Assert.Equal(Requirement.Required, Evaluate("""{ "if": { "fact": "trialInstitutionCount", "gt": 1 }, "then": "required", "else": "optional" }""", new CandidateProfile { TrialInstitutionCount = 2 }));
        Assert.Equal(Requirement.Optional, Evaluate("""{ "if": { "fact": "trialInstitutionCount", "lt": 2 }, "then": "optional", "else": "required" }""", new CandidateProfile()));
        Assert.Equal(Requirement.Required, Evaluate("""{ "if": { "fact": "previousExamArea", "eq": "43" }, "then": "required", "else": "optional" }""", new CandidateProfile { PreviousExamArea = "43" }));
        Assert.Equal(Requirement.Optional, Evaluate("""{ "if": { "fact": "previousExamArea", "eq": "43" }, "then": "required", "else": "optional" }""", new CandidateProfile()));
        Assert.Equal(Requirement.Required, Evaluate("""{ "if": { "fact": "upgradeEntryDate", "lte": "2015-08-31" }, "then": "required", "else": "not-applicable" }""", new CandidateProfile { UpgradeEntryDate = new DateOnly(2014, 1, 1) }));
        Assert.Equal(Requirement.Required, Evaluate("""{ "if": { "fact": "foreignDegree", "ne": false }, "then": "required", "else": "not-applicable" }""", new CandidateProfile { ForeignDegree = true }));
    }

    [Fact]
    public void An_undeclared_date_or_year_satisfies_only_ne_and_notIn()
    {
        var profile = new CandidateProfile();
        Assert.Equal(Requirement.NotApplicable, Evaluate("""{ "if": { "fact": "upgradeEntryDate", "gte": "2015-09-01" }, "then": "required", "else": "not-applicable" }""", profile));
        Assert.Equal(Requirement.NotApplicable, Evaluate("""{ "if": { "fact": "previousExamYear", "lt": 2030 }, "then": "required", "else": "not-applicable" }""", profile));
        Assert.Equal(Requirement.Required, Evaluate("""{ "if": { "fact": "previousExamYear", "ne": 2018 }, "then": "required", "else": "not-applicable" }""", profile));
    }

    [Fact]
    public void All_any_not_and_named_conditions_combine()
    {
        const string conditions = """{ "foreignOrHmt": { "any": [ { "fact": "nationality", "eq": "foreign" }, { "fact": "nationality", "eq": "hong-kong-macao-taiwan" } ] } }""";
        const string rule = """{ "if": { "all": [ { "ref": "foreignOrHmt" }, { "not": { "fact": "foreignDegree", "eq": true } } ] }, "then": "required", "else": { "if": { "ref": "foreignOrHmt" }, "then": "optional", "else": "not-applicable" } }""";
        Assert.Equal(Requirement.Required, Evaluate(rule, new CandidateProfile { Nationality = "hong-kong-macao-taiwan" }, conditions));
        Assert.Equal(Requirement.Optional, Evaluate(rule, new CandidateProfile { Nationality = "foreign", ForeignDegree = true }, conditions));
        Assert.Equal(Requirement.NotApplicable, Evaluate(rule, new CandidateProfile(), conditions));
    }

    [Fact]
    public void An_unknown_fact_is_refused_with_its_path()
    {
        var error = Assert.Single(Errors(Catalog("""{ "if": { "fact": "shoeSize", "eq": 42 }, "then": "required", "else": "optional" }""")));
        Assert.Equal("$.materialTypes[0].rule.if.fact", error.Path);
        Assert.Equal("unknown_fact", error.Code);
        Assert.Contains("shoeSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_comparison_operator_is_refused()
    {
        var error = Assert.Single(Errors(Catalog("""{ "if": { "fact": "trialInstitutionCount", "between": [1, 2] }, "then": "required", "else": "optional" }""")));
        Assert.Equal("$.materialTypes[0].rule.if.between", error.Path);
    }

    [Fact]
    public void An_unknown_logical_operator_is_refused()
    {
        var error = Assert.Single(Errors(Catalog("""{ "if": { "xor": [ { "fact": "foreignDegree", "eq": true } ] }, "then": "required", "else": "optional" }""")));
        Assert.Equal("$.materialTypes[0].rule.if.xor", error.Path);
    }

    [Fact]
    public void Unknown_properties_anywhere_are_refused()
    {
        var errors = Errors(Catalog("\"required\"", extraType: ", \"colour\": \"red\"").Replace("\"title\": \"test\",", "\"title\": \"test\", \"owner\": \"me\",", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "$.materialTypes[0].colour");
        Assert.Contains(errors, e => e.Path == "$.owner");
        Assert.Contains(Errors(Catalog("""{ "if": { "fact": "foreignDegree", "eq": true }, "then": "required", "else": "optional", "otherwise": "optional" }""")),
            e => e.Path == "$.materialTypes[0].rule.otherwise");
    }

    [Fact]
    public void An_unknown_outcome_is_refused()
    {
        var error = Assert.Single(Errors(Catalog("\"mandatory\"")));
        Assert.Equal("$.materialTypes[0].rule", error.Path);
    }

    [Fact]
    public void A_value_outside_a_facts_vocabulary_or_of_the_wrong_type_is_refused()
    {
        Assert.Equal("$.materialTypes[0].rule.if.eq", Assert.Single(Errors(Catalog("""{ "if": { "fact": "nationality", "eq": "martian" }, "then": "required", "else": "optional" }"""))).Path);
        Assert.Equal("$.materialTypes[0].rule.if.in[1]", Assert.Single(Errors(Catalog("""{ "if": { "fact": "employerType", "in": ["cdc", 3] }, "then": "required", "else": "optional" }"""))).Path);
        Assert.Single(Errors(Catalog("""{ "if": { "fact": "upgradeEntryDate", "gte": "1 Sept 2015" }, "then": "required", "else": "optional" }""")));
        Assert.Single(Errors(Catalog("""{ "if": { "fact": "foreignDegree", "eq": "yes" }, "then": "required", "else": "optional" }""")));
        Assert.Single(Errors(Catalog("""{ "if": { "fact": "nationality", "gt": "foreign" }, "then": "required", "else": "optional" }""")));
        Assert.Single(Errors(Catalog("""{ "if": { "fact": "nationality", "in": "foreign" }, "then": "required", "else": "optional" }""")));
    }

    [Fact]
    public void Unknown_or_cyclic_named_conditions_are_refused()
    {
        Assert.Equal("$.materialTypes[0].rule.if.ref", Assert.Single(Errors(Catalog("""{ "if": { "ref": "nowhere" }, "then": "required", "else": "optional" }"""))).Path);
        var cyclic = Errors(Catalog("""{ "if": { "ref": "a" }, "then": "required", "else": "optional" }""", conditions: """{ "a": { "ref": "b" }, "b": { "not": { "ref": "a" } } }"""));
        Assert.Contains(cyclic, e => e.Code == "condition_cycle" && e.MessageEn.Contains("cycle", StringComparison.Ordinal));
    }

    [Fact]
    public void Counts_codes_and_duplicates_are_checked()
    {
        var document = JsonNode.Parse(Catalog("\"required\""))!;
        var types = document["materialTypes"]!.AsArray();
        types[0]!["minCount"] = 3;
        types[0]!["countFact"] = "nationality";
        types.Add(JsonNode.Parse("""{ "code": "X Ray", "name": "X", "description": "d", "minCount": 0, "maxCount": 1, "rule": "optional" }"""));
        types.Add(JsonNode.Parse("""{ "code": "x-ray", "name": "X", "description": "d", "minCount": 0, "maxCount": 1, "rule": "optional" }"""));
        var errors = Errors(document.ToJsonString());
        Assert.Contains(errors, e => e.Path == "$.materialTypes[0].minCount");
        Assert.Contains(errors, e => e.Path == "$.materialTypes[0].countFact");
        Assert.Contains(errors, e => e.Path == "$.materialTypes[1].code");
        Assert.Contains(errors, e => e.Path == "$.materialTypes[2].code" && e.Code == "duplicate_code");
    }

    [Fact]
    public void Malformed_json_and_an_empty_catalog_are_refused()
    {
        Assert.Equal("$", Assert.Single(Errors("{ \"materialTypes\": [")).Path);
        Assert.Equal("$.materialTypes", Assert.Single(Errors("{ \"materialTypes\": [] }")).Path);
    }

    [Theory]
    [InlineData("\"optional\"")]
    [InlineData("\"not-applicable\"")]
    [InlineData("""{ "if": { "fact": "nationality", "eq": "foreign" }, "then": "optional", "else": { "if": { "fact": "foreignDegree", "eq": true }, "then": "optional", "else": "not-applicable" } }""")]
    public void A_catalog_whose_rules_can_never_require_anything_is_refused(string rule)
    {
        // Loaded, it let a candidate press 提交审核 with nothing uploaded: locked, and a case with no image for reviewers.
        var error = Assert.Single(Errors(Catalog(rule)));
        Assert.Equal(("$.materialTypes", "nothing_required"), (error.Path, error.Code));
        Assert.Contains("required", error.Message, StringComparison.Ordinal);

        // One branch that can require, however deep or for however few candidates, is a catalog in force.
        var (catalog, errors) = CatalogParser.Parse(Catalog("""{ "if": { "fact": "nationality", "eq": "foreign" }, "then": "optional", "else": { "if": { "fact": "foreignDegree", "eq": true }, "then": "required", "else": "not-applicable" } }"""));
        Assert.True(catalog is not null, string.Join("; ", errors.Select(e => $"{e.Path}: {e.Code}")));
    }

    [Fact]
    public void A_version_stored_before_the_nothing_required_rule_is_still_read_so_its_area_keeps_working()
    {
        // Stored versions are parsed again whenever they are read (the one in force, or the one a submission is
        // pinned to); a rule for new documents must not make one an InvalidOperationException for the whole area.
        var stored = new CatalogVersion { AreaCode = "43", Document = Catalog("\"optional\""), CreatedBy = "operator" };

        Assert.Equal("nothing_required", Assert.Single(Errors(stored.Document)).Code);
        var catalog = new CatalogStore().Parse(stored);
        Assert.Equal(Requirement.Optional, catalog.Evaluate(Assert.Single(catalog.Types), new CandidateProfile()).Requirement);
    }

    [Fact]
    public void A_property_given_twice_is_refused_wherever_it_is_not_read_as_one_of_the_two()
    {
        var document = Catalog("""{ "if": { "fact": "nationality", "fact": "foreignDegree", "eq": true }, "then": "required", "else": "optional" }""")
            .Replace("\"title\": \"test\",", "\"title\": \"test\", \"title\": \"again\",", StringComparison.Ordinal);
        var errors = Errors(document);
        Assert.Contains(errors, e => e.Path == "$.title" && e.Code == "duplicate_property");
        Assert.Contains(errors, e => e.Path == "$.materialTypes[0].rule.if.fact" && e.Code == "duplicate_property");
    }

    [Fact]
    public void Each_message_reads_in_chinese_with_its_english_beside_it_a_stable_code_and_echoed_values_capped()
    {
        var longFact = new string('z', 500);
        var errors = Errors(Catalog($$"""{ "if": { "all": [ { "fact": "{{longFact}}", "eq": 1 }, { "fact": "nationality", "eq": "martian" } ] }, "then": "always", "else": "optional" }""",
            extraType: ", \"colour\": \"red\""));
        Assert.True(errors.Count >= 4, string.Join("; ", errors.Select(e => $"{e.Path}: {e.Code}")));
        Assert.All(errors, e =>
        {
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", e.Message);
            Assert.DoesNotMatch(@"\p{IsCJKUnifiedIdeographs}", e.MessageEn);
            Assert.Matches("^[a-z_]+$", e.Code);
            Assert.DoesNotContain(longFact, e.Message, StringComparison.Ordinal);
        });
        Assert.Superset(new HashSet<string>(["unknown_fact", "unknown_value", "unknown_outcome", "unknown_property"]), errors.Select(e => e.Code).ToHashSet());
    }

    [Fact]
    public void Every_error_of_a_document_is_reported_at_once()
    {
        var errors = Errors(Catalog("""{ "if": { "all": [ { "fact": "shoeSize", "eq": 1 }, { "fact": "nationality", "eq": "martian" } ] }, "then": "always", "else": "optional" }"""));
        Assert.Equal(3, errors.Count);
    }
}
