using System.Security.Claims;
using ExamReview.Drawing;
using ExamReview.Registration.Data;
using ExamReview.Registration.Domain;
using ExamReview.Registration.Domain.Printing;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Problems;
using ExamReview.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Api;

/// <summary>What a scanned QR code verifies: the document and who it belongs to, personal data masked.</summary>
public sealed record NoticeVerification(
    bool Valid,
    string Document,
    string DocumentName,
    string RegistrationNumber,
    string MaskedName,
    string MaskedIdNumber,
    int ExamYear,
    string ExamCategory,
    string AreaName,
    string SiteName,
    StatusView Status);

/// <summary>
/// The documents the candidate downloads and prints (网上报名成功通知单, 试用期考核合格证明 — one page per trial
/// institution) as PDF, and the public check of the QR code printed on them.
/// </summary>
public static class DocumentsApi
{
    public static void MapDocumentsApi(this RouteGroupBuilder group)
    {
        group.MapGet("/me/documents/{document}.pdf", Download).RequireAuthorization(Policies.Candidate).WithName("downloadMyDocument").WithSummary("下载可打印文书（网上报名成功通知单、试用期考核合格证明，PDF）")
            .WithDescription("The candidate's printable registration-notice or trial-period-certificate form (PDF). Characters no installed font has (rare CJK of Extension B and beyond) print as boxes holding their code points, named in the X-Unprintable-Characters header.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "document_not_found", "registration_not_found").ProducesProblemCodes(StatusCodes.Status409Conflict, "photo_not_accepted");
        group.MapGet("/notices/verify", Verify).AllowAnonymous().WithName("verifyNotice").WithSummary("核验打印文书二维码的核验码（公开）")
            .WithDescription("Checks the verification code of a printed document's QR code (HMAC); answers the registration it belongs to, masked.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "notice_not_verified");
    }

    /// <summary>What a document download needs: which document (the route's <c>{document}.pdf</c>) and the services it works with.</summary>
    public sealed record DocumentDownloadCall(
        [FromRoute(Name = "document")] string Document,
        ClaimsPrincipal User,
        HttpResponse Response,
        RegistrationDbContext Db,
        IObjectStore Store,
        NoticeSeal Seal,
        ILogger<DocumentDownloadCall> Logger);

    /// <summary>Names the characters a downloaded document printed as code-point boxes (no installed font has them).</summary>
    public const string UnprintableHeader = "X-Unprintable-Characters";

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Download([AsParameters] DocumentDownloadCall call, CancellationToken ct)
    {
        var (document, db) = (call.Document, call.Db);
        if (!PrintableDocuments.Kinds.Contains(document))
        {
            return Problems.NotFound("document_not_found", $"没有名为 {document} 的可打印文件（可选：{string.Join("、", PrintableDocuments.Kinds)}）。",
                $"There is no printable document {document} (one of: {string.Join(", ", PrintableDocuments.Kinds)}).");
        }
        var candidateId = call.User.CandidateId()!.Value;
        var registration = await db.Registrations.AsNoTracking().SingleOrDefaultAsync(r => r.CandidateId == candidateId, ct);
        if (registration is null)
        {
            return Problems.NotFound("registration_not_found", "您还没有报名信息。", "You have no registration yet.");
        }
        var photo = registration.PhotoObjectKey is { } key ? await call.Store.GetAsync(key, ct) : null;
        if (photo is null)
        {
            return Problems.Conflict("photo_not_accepted", "报名照片尚未通过检测并上传：请先上传经检测工具处理的照片，再下载打印。",
                "No checked ID photo has been uploaded yet: upload the photo the photo tool returned, then print.");
        }
        var (area, site) = await NamesAsync(db, registration, ct);
        var data = new PrintData(
            registration.ExamYear, registration.FullName, registration.IdNumber, registration.RegistrationNumber,
            ExamCategories.Label(registration.ExamCategory), area, site, registration.CreatedAt, photo.Content,
            call.Seal.Code(registration, document), registration.TrialInstitutionCount);
        // Personal data: never kept by a shared cache.
        call.Response.Headers.CacheControl = "no-store";
        if (PrintableDocuments.Unprintable(data) is { Count: > 0 } missing)
        {
            // Printed as boxes with their code points (and a note on the page): said to the caller and to the operators,
            // who can install a font with the characters (EXAMREVIEW_CJK_FONT names the primary one).
            var named = PrintableText.Describe(missing);
            call.Response.Headers[UnprintableHeader] = named;
            call.Logger.LogWarning("Printed {Document} for registration {RegistrationNumber} with characters no installed font has, drawn as code-point boxes: {CodePoints}",
                document, registration.RegistrationNumber, named);
        }
        return TypedResults.File(PrintableDocuments.Pdf(document, data, call.Logger), "application/pdf", $"{registration.RegistrationNumber}-{document}.pdf");
    }

    private static async Task<Results<Ok<NoticeVerification>, ProblemHttpResult>> Verify(string? code, RegistrationDbContext db, NoticeSeal seal, CancellationToken ct)
    {
        if (NoticeSeal.Parse(code) is not { } notice)
        {
            return Problems.Invalid("code", "不是本系统打印文件上的核验码（ERN1.报名号.文件.签名）。",
                "is not a verification code printed by this system (ERN1.registration number.document.signature).");
        }
        var registration = await db.Registrations.AsNoTracking().SingleOrDefaultAsync(r => r.RegistrationNumber == notice.RegistrationNumber, ct);
        if (registration is null || !seal.Verify(code!, registration))
        {
            return Problems.NotFound("notice_not_verified", "核验失败：该文件不是本系统签发的，或报名信息已修改（请考生重新下载打印）。",
                "Verification failed: the document was not issued by this system, or the registration changed since (print it again).");
        }
        var (area, site) = await NamesAsync(db, registration, ct);
        return TypedResults.Ok(new NoticeVerification(
            true, notice.Document, notice.Document == PrintableDocuments.RegistrationNotice ? "网上报名成功通知单" : "试用期考核合格证明",
            registration.RegistrationNumber, MaskName(registration.FullName), RegistrationsApi.Mask(registration.IdNumber), registration.ExamYear,
            ExamCategories.Label(registration.ExamCategory), area, site, new StatusView(registration.Status.ToString(), registration.Status.Label())));
    }

    private static async Task<(string Area, string Site)> NamesAsync(RegistrationDbContext db, CandidateRegistration registration, CancellationToken ct)
    {
        var area = await db.Areas.AsNoTracking().Where(a => a.Code == registration.AreaCode).Select(a => a.Name).SingleOrDefaultAsync(ct);
        var site = await db.Sites.AsNoTracking().Where(s => s.Code == registration.SiteCode).Select(s => s.Name).SingleOrDefaultAsync(ct);
        return (area ?? registration.AreaCode, site ?? registration.SiteCode);
    }

    /// <summary>张三 → 张*, 欧阳明日 → 欧***: whoever scans a printout learns no more than it shows.</summary>
    /// <remarks>Counted in characters, not UTF-16 units: a rare character (𠀾, Extension B) is one character, and cutting its
    /// surrogate pair would answer an unpaired half.</remarks>
    internal static string MaskName(string name)
    {
        var characters = name.EnumerateRunes().ToList();
        return characters.Count <= 1 ? name : characters[0] + new string('*', characters.Count - 1);
    }
}
