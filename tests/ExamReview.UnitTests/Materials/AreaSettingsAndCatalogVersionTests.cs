using ExamReview.MaterialStorage.Domain;

namespace ExamReview.UnitTests.Materials;

/// <summary>
/// The operators' configuration rules, without a database: what an area's upload settings accept and what a change
/// writes, and which catalog loads are refused (scope, size, content) and which version a load becomes.
/// </summary>
public sealed class AreaSettingsAndCatalogVersionTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private const string ValidCatalog = """
        {
          "title": "test",
          "conditions": {},
          "materialTypes": [
            { "code": "photo", "name": "近期免冠照片", "description": "白底", "minCount": 1, "maxCount": 1, "rule": "required" }
          ]
        }
        """;

    [Fact]
    public void Settings_refusal_lists_every_wrong_field_in_form_order()
    {
        var refusal = AreaSettings.RefuseChange("4", "weekly", AreaSettings.MinImageBytes - 1, out _);

        Assert.NotNull(refusal);
        Assert.Equal(RefusalKind.InvalidField, refusal.Kind);
        Assert.Equal("validation", refusal.Code);
        Assert.Equal(["areaCode", "submissionMode", "maxImageBytes"], refusal.Fields.Select(f => f.Field));
        Assert.Equal("must be from 10240 to 10485760 bytes", refusal.Fields[2].DetailEn);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Explicit")]
    [InlineData("")]
    public void Settings_need_a_known_mode_spelled_as_the_api_spells_it(string? mode)
    {
        var refusal = AreaSettings.RefuseChange("43", mode, null, out _);

        Assert.Equal(["submissionMode"], refusal!.Fields.Select(f => f.Field));
    }

    [Theory]
    [InlineData(AreaSettings.MinImageBytes)]
    [InlineData(AreaSettings.MaxImageBytesLimit)]
    public void Settings_accept_the_bounds_of_the_size_range(long bytes)
    {
        Assert.Null(AreaSettings.RefuseChange("43", "explicit", bytes, out var change));
        Assert.Equal(bytes, change.MaxImageBytes);
    }

    [Fact]
    public void Settings_refuse_a_size_just_past_the_upper_bound()
    {
        var refusal = AreaSettings.RefuseChange("43", "continuous", AreaSettings.MaxImageBytesLimit + 1, out _);

        Assert.Equal(["maxImageBytes"], refusal!.Fields.Select(f => f.Field));
    }

    [Fact]
    public void Applying_a_change_writes_mode_limit_and_the_time_of_change()
    {
        var settings = new AreaSettings { AreaCode = "43", SubmissionMode = SubmissionMode.Explicit, MaxImageBytes = 500_000, UpdatedAt = Now.AddDays(-1) };
        Assert.Null(AreaSettings.RefuseChange("43", "continuous", 300_000, out var change));

        settings.Apply(change, Now);

        Assert.Equal(SubmissionMode.Continuous, settings.SubmissionMode);
        Assert.Equal(300_000, settings.MaxImageBytes);
        Assert.Equal(Now, settings.UpdatedAt);
        Assert.Equal("43", settings.AreaCode);
    }

    [Fact]
    public void A_size_left_out_goes_back_to_the_default_rather_than_keeping_the_previous_one()
    {
        var settings = new AreaSettings { AreaCode = "43", MaxImageBytes = 500_000 };
        Assert.Null(AreaSettings.RefuseChange("43", "explicit", null, out var change));

        settings.Apply(change, Now);

        Assert.Equal(AreaSettings.DefaultMaxImageBytes, settings.MaxImageBytes);
    }

    [Theory]
    [InlineData("*", true)]
    [InlineData("43", true)]
    [InlineData("A1b2C3d4E5f6G7h8", true)]
    [InlineData("4", false)]
    [InlineData("43-01", false)]
    public void A_catalog_is_for_an_area_of_its_own_or_the_national_default(string areaCode, bool accepted)
    {
        Assert.Equal(accepted, CatalogVersion.RefuseScope(2027, areaCode) is null);
    }

    [Fact]
    public void Upload_settings_are_for_an_area_of_its_own_only()
    {
        Assert.Equal(["areaCode"], AreaSettings.RefuseArea("*")!.Fields.Select(f => f.Field));
        Assert.Null(AreaSettings.RefuseArea("43"));
    }

    [Fact]
    public void Catalog_scope_refusal_names_year_then_area()
    {
        var refusal = CatalogVersion.RefuseScope(1999, "x");

        Assert.Equal(RefusalKind.InvalidField, refusal!.Kind);
        Assert.Equal(["examYear", "areaCode"], refusal.Fields.Select(f => f.Field));
        Assert.Null(CatalogVersion.RefuseScope(2100, "43"));
        Assert.NotNull(CatalogVersion.RefuseScope(2101, "43"));
    }

    [Fact]
    public void An_oversized_document_is_refused_as_too_large_before_its_content_is_looked_at()
    {
        // Not JSON at all: only the size is judged.
        var refusal = CatalogVersion.RefuseDocument(new string('x', CatalogVersion.MaxDocumentChars + 1));

        Assert.Equal(RefusalKind.TooLarge, refusal!.Kind);
        Assert.Equal("catalog_too_large", refusal.Code);
    }

    [Fact]
    public void An_invalid_document_is_refused_with_every_error_and_its_path()
    {
        var refusal = CatalogVersion.RefuseDocument("""{ "title": "t", "conditions": {}, "materialTypes": [ { "code": "photo" } ], "surprise": 1 }""");

        Assert.Equal(RefusalKind.Unprocessable, refusal!.Kind);
        Assert.Equal("invalid_catalog", refusal.Code);
        var errors = Assert.IsType<IReadOnlyList<ExamReview.MaterialStorage.Domain.Catalogs.CatalogErrorView>>(refusal.Facts!["errors"], exactMatch: false);
        Assert.True(errors.Count >= 2);
        Assert.All(errors, e => Assert.StartsWith("$", e.Path));
        // The same errors in English for clients that ask for it: same paths and codes, the other language.
        var english = Assert.IsType<IReadOnlyList<ExamReview.MaterialStorage.Domain.Catalogs.CatalogErrorView>>(refusal.FactsEn!["errors"], exactMatch: false);
        Assert.Equal(errors.Select(e => (e.Path, e.Code)), english.Select(e => (e.Path, e.Code)));
        Assert.Contains(errors, e => e.Path == "$.surprise" && e.Code == "unknown_property" && e.Message.StartsWith("未知的属性", StringComparison.Ordinal));
        Assert.Contains(english, e => e.Path == "$.surprise" && e.Message.StartsWith("unknown property", StringComparison.Ordinal));
    }

    [Fact]
    public void A_valid_document_is_accepted()
    {
        Assert.Null(CatalogVersion.RefuseDocument(ValidCatalog));
    }

    [Fact]
    public void The_first_load_is_version_one_and_each_later_load_follows_the_latest()
    {
        var first = CatalogVersion.Next(2027, "43", null, ValidCatalog, "op-1", Now);
        var fourth = CatalogVersion.Next(2027, "43", 3, ValidCatalog, "op-2", Now);

        Assert.Equal(1, first.Version);
        Assert.Equal(4, fourth.Version);
        Assert.Equal(("op-2", Now, ValidCatalog, 2027, "43"), (fourth.CreatedBy, fourth.CreatedAt, fourth.Document, fourth.ExamYear, fourth.AreaCode));
        Assert.NotEqual(first.Id, fourth.Id);
    }

    [Fact]
    public void A_version_taken_concurrently_is_a_conflict_naming_that_version()
    {
        var refusal = CatalogVersion.Next(2027, "43", 1, ValidCatalog, "op-1", Now).VersionTaken();

        Assert.Equal(RefusalKind.Conflict, refusal.Kind);
        Assert.Equal("catalog_version_conflict", refusal.Code);
        Assert.Equal("Version 2 of 2027/43 was loaded concurrently; reload and try again.", refusal.DetailEn);
    }
}
