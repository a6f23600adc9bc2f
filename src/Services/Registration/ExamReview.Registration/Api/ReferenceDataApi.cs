using System.Text.RegularExpressions;
using ExamReview.Contracts;
using ExamReview.Registration.Data;
using ExamReview.Registration.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Api;

public sealed record ExamYearView(int Year, string Name);

public sealed record ExamSiteView(string Code, string Name);

public sealed record ExamAreaView(string Code, string Name, IReadOnlyList<ExamSiteView> Sites);

public sealed record ReferenceDataView(IReadOnlyList<ExamYearView> Years, IReadOnlyList<ExamAreaView> Areas);

public sealed record NameRequest(string? Name);

public sealed record SiteRequest(string? Name);

/// <summary>Exam years, areas (考区) and sites (考点) as data: everyone signed in reads them, operators maintain them.</summary>
public static partial class ReferenceDataApi
{
    public static void MapReferenceDataApi(this RouteGroupBuilder group)
    {
        group.MapGet("/reference", Get).WithName("getReferenceData").WithSummary("考试年度、考区及其考点").WithDescription("Exam years, areas and their sites.");
        group.MapPut("/years/{year:int}", PutYear).RequireAuthorization(Policies.Operator).WithName("putExamYear").WithSummary("新增或修改考试年度（运营人员）");
        group.MapPut("/areas/{areaCode}", PutArea).RequireAuthorization(Policies.Operator).WithName("putExamArea").WithSummary("新增或修改考区（运营人员）")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "code_differs_in_case");
        group.MapPut("/areas/{areaCode}/sites/{siteCode}", PutSite).RequireAuthorization(Policies.Operator).WithName("putExamSite").WithSummary("新增或修改考区下的考点（运营人员）")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "unknown_area").ProducesProblemCodes(StatusCodes.Status409Conflict, "site_in_other_area", "code_differs_in_case");
    }

    private static async Task<Ok<ReferenceDataView>> Get(RegistrationDbContext db, CancellationToken ct)
    {
        var years = await db.Years.AsNoTracking().OrderBy(y => y.Year).Select(y => new ExamYearView(y.Year, y.Name)).ToListAsync(ct);
        var areas = await db.Areas.AsNoTracking().OrderBy(a => a.Code).ToListAsync(ct);
        var sites = await db.Sites.AsNoTracking().OrderBy(s => s.Code).ToListAsync(ct);
        return TypedResults.Ok(new ReferenceDataView(years,
            areas.Select(a => new ExamAreaView(a.Code, a.Name, sites.Where(s => s.AreaCode == a.Code).Select(s => new ExamSiteView(s.Code, s.Name)).ToList())).ToList()));
    }

    private static async Task<Results<Ok<ExamYearView>, ProblemHttpResult>> PutYear(int year, NameRequest request, RegistrationDbContext db, CancellationToken ct)
    {
        var errors = new RequestErrors()
            .Require(year is >= 2020 and <= 2100, "year", "应为四位数的考试年度。", "must be a four-digit exam year")
            .Require(ValidName(request.Name), "name", "必填（最多 100 个字符）。", "is required (at most 100 characters)");
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var row = await db.Years.SingleOrDefaultAsync(y => y.Year == year, ct);
        if (row is null)
        {
            db.Years.Add(row = new ExamYear { Year = year, Name = request.Name!.Trim() });
        }
        row.Name = request.Name!.Trim();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new ExamYearView(row.Year, row.Name));
    }

    private static async Task<Results<Ok<ExamAreaView>, ProblemHttpResult>> PutArea(
        string areaCode, NameRequest request, RegistrationDbContext db, CancellationToken ct)
    {
        var errors = new RequestErrors()
            .Require(CodePattern().IsMatch(areaCode), "areaCode", "应为 2 至 16 个字母或数字。", "must be 2 to 16 letters or digits")
            .Require(ValidName(request.Name), "name", "必填（最多 100 个字符）。", "is required (at most 100 characters)");
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var area = await db.Areas.SingleOrDefaultAsync(a => a.Code == areaCode, ct);
        if (area is null && await SameCodeInOtherCaseAsync(db.Areas.Select(a => a.Code), areaCode, ct) is { } existing)
        {
            return DiffersInCase("考区", "area", areaCode, existing);
        }
        if (area is null)
        {
            db.Areas.Add(area = new ExamArea { Code = areaCode, Name = request.Name!.Trim() });
        }
        area.Name = request.Name!.Trim();
        db.Publish(new ExamAreaChanged(area.Code, area.Name));
        await db.CommitAsync(ct);
        // The area as stored, its sites included: a renamed area keeps them.
        var sites = await db.Sites.AsNoTracking().Where(s => s.AreaCode == area.Code).OrderBy(s => s.Code)
            .Select(s => new ExamSiteView(s.Code, s.Name)).ToListAsync(ct);
        return TypedResults.Ok(new ExamAreaView(area.Code, area.Name, sites));
    }

    private static async Task<Results<Ok<ExamSiteView>, ProblemHttpResult>> PutSite(
        string areaCode, string siteCode, SiteRequest request, RegistrationDbContext db, CancellationToken ct)
    {
        var errors = new RequestErrors()
            .Require(CodePattern().IsMatch(siteCode), "siteCode", "应为 2 至 16 个字母或数字。", "must be 2 to 16 letters or digits")
            .Require(ValidName(request.Name), "name", "必填（最多 100 个字符）。", "is required (at most 100 characters)");
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        if (!await db.Areas.AnyAsync(a => a.Code == areaCode, ct))
        {
            return Problems.NotFound("unknown_area", $"考区“{ProblemText.Echo(areaCode)}”不存在。", $"Exam area '{ProblemText.Echo(areaCode)}' does not exist.");
        }
        var site = await db.Sites.SingleOrDefaultAsync(s => s.Code == siteCode, ct);
        if (site is not null && site.AreaCode != areaCode)
        {
            return Problems.Conflict("site_in_other_area", $"考点“{siteCode}”属于考区“{site.AreaCode}”。", $"Exam site '{siteCode}' belongs to area '{site.AreaCode}'.");
        }
        if (site is null && await SameCodeInOtherCaseAsync(db.Sites.Select(s => s.Code), siteCode, ct) is { } existing)
        {
            return DiffersInCase("考点", "site", siteCode, existing);
        }
        if (site is null)
        {
            db.Sites.Add(site = new ExamSite { Code = siteCode, AreaCode = areaCode, Name = request.Name!.Trim() });
        }
        site.Name = request.Name!.Trim();
        // Announced like an area: the services that take a site code from operators learn the sites that exist.
        db.Publish(new ExamSiteChanged(site.Code, site.AreaCode, site.Name));
        await db.CommitAsync(ct);
        return TypedResults.Ok(new ExamSiteView(site.Code, site.Name));
    }

    /// <summary>
    /// The code of another area (or site) that differs from a new one only in letter case ("hn" beside "HN"): every
    /// service compares codes exactly, so saving it made a second area or site, listed to candidates beside the first,
    /// with its own reviewers, settings and catalog, where the operator meant the one that exists.
    /// </summary>
    private static async Task<string?> SameCodeInOtherCaseAsync(IQueryable<string> codes, string code, CancellationToken ct) =>
        // Compared here, not in SQL (whose case rules differ between SQLite and PostgreSQL): a few hundred short codes,
        // read only when an operator adds one.
        (await codes.ToListAsync(ct)).FirstOrDefault(c => c != code && string.Equals(c, code, StringComparison.OrdinalIgnoreCase));

    private static ProblemHttpResult DiffersInCase(string kindZh, string kindEn, string code, string existing) =>
        Problems.Conflict("code_differs_in_case", $"{kindZh}代码“{code}”与已有的{kindZh}“{existing}”只差字母大小写：要修改它，请使用“{existing}”；要新增，请换一个代码。",
            $"The {kindEn} code '{code}' differs from the existing {kindEn} '{existing}' only in letter case: use '{existing}' to change it, or choose another code.");

    private static bool ValidName(string? name) => !string.IsNullOrWhiteSpace(name) && name.Trim().Length <= 100;

    [GeneratedRegex(@"^[A-Za-z0-9]{2,16}\z")]
    private static partial Regex CodePattern();
}
