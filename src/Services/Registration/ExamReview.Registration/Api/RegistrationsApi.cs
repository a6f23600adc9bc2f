using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ExamReview.Contracts;
using ExamReview.Registration.Accounts;
using ExamReview.Registration.Data;
using ExamReview.Registration.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Api;

public sealed record CreateRegistrationRequest(
    string? FullName,
    string? IdNumber,
    string? MobileNumber,
    int ExamYear,
    string? AreaCode,
    string? SiteCode,
    string? ExamCategory,
    ProfileRequest? Profile = null);

public sealed record StatusView(string Code, string Label);

public sealed record RegistrationResponse(
    Guid RegistrationId,
    Guid CandidateId,
    string RegistrationNumber,
    int ExamYear,
    string AreaCode,
    string SiteCode,
    string ExamCategory,
    string FullName,
    string MaskedIdNumber,
    string MobileNumber,
    StatusView Status,
    string? Feedback,
    DateTimeOffset? RespondBy,
    DateTimeOffset UpdatedAt,
    ProfileView Profile);

public static partial class RegistrationsApi
{
    internal const string MobileZh = "手机号码应为以 1 开头的 11 位大陆手机号。";
    internal const string MobileEn = "must be an 11-digit mainland mobile number starting with 1";

    public const string Prefix = "/api/v1/registrations";

    public static void MapRegistrationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("Registrations");
        group.MapPost("/", Create).RequireAuthorization(Policies.Candidate).WithName("createRegistration").WithSummary("考生创建自己的报名").WithDescription("Creates the calling candidate's registration.")
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "unknown_exam_year", "unknown_area", "unknown_site").ProducesProblemCodes(StatusCodes.Status409Conflict, "already_registered");
        group.MapGet("/me", GetMine).RequireAuthorization(Policies.Candidate).WithName("getMyRegistration").WithSummary("查看本人的报名信息与状态").ProducesProblemCodes(StatusCodes.Status404NotFound, "registration_not_found");
        group.MapContactApi();
        group.MapProfileApi();
        group.MapHandoverApi();
        group.MapPhotoApi();
        group.MapReferenceDataApi();
        group.MapDocumentsApi();
        group.MapCorrectionsApi();
        group.MapIdentityApi();
        group.MapIdNumberSearchApi();
        group.MapAccountsApi();
        group.MapAccountSessionsApi();
        group.MapGet("/{candidateId:guid}", GetByCandidate).WithName("getRegistration").WithSummary("查看某考生的报名信息（本人或范围内的工作人员）").WithDescription("A candidate's registration, for the candidate or staff in scope.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "registration_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope");
    }

    private static async Task<Results<Created<RegistrationResponse>, ProblemHttpResult>> Create(
        CreateRegistrationRequest request, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new RequestErrors()
            .Require(!string.IsNullOrWhiteSpace(request.FullName) && request.FullName.Trim().Length <= 100, "fullName", "姓名必填（最多 100 个字符）。", "is required (at most 100 characters)")
            .Require(request.IdNumber is not null && IdNumberPattern().IsMatch(request.IdNumber), "idNumber", "证件号码应为 18 位居民身份证号码（17 位数字加一位数字或 X）。",
                "must be an 18-character resident ID number (17 digits then a digit or X)")
            .Require(request.MobileNumber is not null && MobilePattern().IsMatch(request.MobileNumber), "mobileNumber", MobileZh, MobileEn)
            .Require(request.ExamYear is >= 2020 and <= 2100, "examYear", "应为四位数的考试年度。", "must be a four-digit exam year")
            .Require(!string.IsNullOrWhiteSpace(request.AreaCode), "areaCode", "考区必填。", "is required")
            .Require(!string.IsNullOrWhiteSpace(request.SiteCode), "siteCode", "考点必填。", "is required")
            .Require(request.ExamCategory is not null && ExamCategories.All.Contains(request.ExamCategory), "examCategory", $"考试类别应为：{string.Join("、", ExamCategories.All)}。",
                $"must be one of: {string.Join(", ", ExamCategories.All)}");
        ProfileApi.Validate(request.Profile ?? new ProfileRequest(), errors, clock);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var candidateId = user.CandidateId()!.Value;
        var site = await db.Sites.AsNoTracking().SingleOrDefaultAsync(s => s.Code == request.SiteCode, ct);
        if (!await db.Years.AnyAsync(y => y.Year == request.ExamYear, ct))
        {
            return Problems.Unprocessable("unknown_exam_year", $"{request.ExamYear} 年度考试未开放报名。", $"Exam year {request.ExamYear} is not open for registration.");
        }
        if (!await db.Areas.AnyAsync(a => a.Code == request.AreaCode, ct))
        {
            return Problems.Unprocessable("unknown_area", $"考区“{request.AreaCode}”不存在。", $"Exam area '{request.AreaCode}' does not exist.");
        }
        if (site is null || site.AreaCode != request.AreaCode)
        {
            return Problems.Unprocessable("unknown_site", $"考区“{request.AreaCode}”没有考点“{request.SiteCode}”。",
                $"Exam site '{request.SiteCode}' does not exist in area '{request.AreaCode}'.");
        }
        if (await db.Registrations.AnyAsync(r => r.CandidateId == candidateId, ct))
        {
            return Problems.Conflict("already_registered", "该考生已经报名，请修改已有的报名信息。", "This candidate already has a registration; edit it instead.");
        }

        var now = clock.GetUtcNow();
        for (var draw = 1; ; draw++)
        {
            db.ChangeTracker.Clear();
            var registration = new CandidateRegistration
            {
                Id = Guid.CreateVersion7(),
                CandidateId = candidateId,
                RegistrationNumber = NewRegistrationNumber(request.ExamYear, request.AreaCode!),
                ExamYear = request.ExamYear,
                AreaCode = request.AreaCode!,
                SiteCode = request.SiteCode!,
                ExamCategory = request.ExamCategory!,
                FullName = request.FullName!.Trim(),
                IdNumber = request.IdNumber!.ToUpperInvariant(),
                MobileNumber = request.MobileNumber!,
                CreatedAt = now,
                UpdatedAt = now,
            };
            ProfileApi.Apply(registration, request.Profile ?? new ProfileRequest());
            db.Registrations.Add(registration);
            db.Publish(new CandidateRegistered(candidateId, registration.Id, registration.RegistrationNumber, registration.ExamYear,
                registration.AreaCode, registration.SiteCode, registration.ExamCategory));
            db.Publish(new CandidateContactChanged(candidateId, registration.AreaCode, registration.MobileNumber, registration.Version));
            db.Publish(ProfileApi.ProfileChanged(registration));
            try
            {
                await db.CommitAsync(ct);
                return TypedResults.Created($"{Prefix}/{candidateId}", ToResponse(registration));
            }
            catch (DbUpdateException ex) when (ex.IsLostRace())
            {
                // Two identical requests raced: the unique index kept one, the other is a conflict, not an error.
                if (await db.Registrations.AsNoTracking().AnyAsync(r => r.CandidateId == candidateId, CancellationToken.None))
                {
                    return Problems.Conflict("already_registered", "该考生已经报名，请修改已有的报名信息。", "This candidate already has a registration; edit it instead.");
                }
                // Otherwise the number was taken: eight random digits per year and area meet an earlier draw now and then
                // at national scale (about 18 times in 60,000 registrations of one area), so draw again.
                if (draw == MaxNumberDraws)
                {
                    throw;
                }
            }
        }
    }


    private static async Task<Results<Ok<RegistrationResponse>, ProblemHttpResult>> GetMine(ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct)
    {
        var candidateId = user.CandidateId()!.Value;
        var registration = await db.Registrations.AsNoTracking().SingleOrDefaultAsync(r => r.CandidateId == candidateId, ct);
        return registration is null
            ? Problems.NotFound("registration_not_found", "您还没有报名信息。", "You have no registration yet.")
            : TypedResults.Ok(ToResponse(registration));
    }

    private static async Task<Results<Ok<RegistrationResponse>, ProblemHttpResult>> GetByCandidate(Guid candidateId, ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct)
    {
        var registration = await db.Registrations.AsNoTracking().SingleOrDefaultAsync(r => r.CandidateId == candidateId, ct);
        // Outside the caller's scope answers exactly as missing: nobody learns whom another site registered.
        return registration is not null && user.CanActFor(candidateId, registration.SiteCode, registration.AreaCode)
            ? TypedResults.Ok(ToResponse(registration))
            : Problems.NotFound("registration_not_found", $"考生 {candidateId} 没有报名信息。", $"No registration exists for candidate {candidateId}.");
    }

    internal static RegistrationResponse ToResponse(CandidateRegistration r) => new(
        r.Id, r.CandidateId, r.RegistrationNumber, r.ExamYear, r.AreaCode, r.SiteCode, r.ExamCategory, r.FullName,
        Mask(r.IdNumber), r.MobileNumber, new StatusView(r.Status.ToString(), r.Status.Label()), r.Feedback, r.RespondBy, r.UpdatedAt,
        ProfileApi.ToView(r));

    internal static string Mask(string idNumber) => idNumber.Length <= 8 ? "****" : idNumber[..4] + new string('*', idNumber.Length - 8) + idNumber[^4..];

    /// <summary>Draws of a registration number before a taken one is a fault: five collisions in a row would mean the space is nearly full.</summary>
    private const int MaxNumberDraws = 5;

    private static string NewRegistrationNumber(int year, string areaCode) =>
        $"{year}{areaCode}{RandomNumberGenerator.GetInt32(0, 100_000_000):D8}";

    [GeneratedRegex(@"^\d{17}[\dXx]$")]
    private static partial Regex IdNumberPattern();

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    internal static partial Regex MobilePattern();
}
