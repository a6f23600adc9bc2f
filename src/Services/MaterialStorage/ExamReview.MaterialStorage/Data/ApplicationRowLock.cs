using Microsoft.EntityFrameworkCore;

namespace ExamReview.MaterialStorage.Data;

/// <summary>
/// On PostgreSQL, takes an application's row lock (<c>FOR UPDATE</c>) for the rest of the caller's transaction, before
/// the application is read. Whoever changes the application itself bumps its optimistic version: the candidate's
/// writes (<see cref="Api.ApplicationWrites"/>) and the review's commands (lock, unlock, approve, the decisions). Taking
/// the lock first, each waits for the one ahead, reads what it left and commits, instead of losing the optimistic race,
/// rolling back and being tried again (issue 19: an approval racing the lock command of the same review, a return
/// racing the candidate's last upload). ImageValidation's verdicts change only their image's row, but take the lock
/// too: a verdict and a review command that read the same image at once would each write the provinces' feed row from
/// what it read, the verdict's with the old review state, the command's with the old verdict, and the later row would
/// be wrong. Every writer takes this lock before touching any row of the application, so they cannot deadlock. SQLite
/// runs one writer at a time and needs none: there these do nothing.
/// </summary>
internal static class ApplicationRowLock
{
    public static Task ByCandidateAsync(MaterialStorageDbContext db, Guid candidateId, CancellationToken ct) =>
        db.IsSqlite ? Task.CompletedTask
            : db.Database.ExecuteSqlInterpolatedAsync($"""SELECT 1 FROM "Applications" WHERE "CandidateId" = {candidateId} FOR UPDATE""", ct);

    public static Task ByIdAsync(MaterialStorageDbContext db, Guid applicationId, CancellationToken ct) =>
        db.IsSqlite ? Task.CompletedTask
            : db.Database.ExecuteSqlInterpolatedAsync($"""SELECT 1 FROM "Applications" WHERE "Id" = {applicationId} FOR UPDATE""", ct);

    /// <summary>The lock of the application that holds the image (none if the image is gone).</summary>
    public static Task ByImageAsync(MaterialStorageDbContext db, Guid imageId, CancellationToken ct) =>
        db.IsSqlite ? Task.CompletedTask
            : db.Database.ExecuteSqlInterpolatedAsync($"""
                SELECT 1 FROM "Applications" WHERE "Id" = (SELECT "ApplicationId" FROM "Images" WHERE "Id" = {imageId}) FOR UPDATE
                """, ct);
}
