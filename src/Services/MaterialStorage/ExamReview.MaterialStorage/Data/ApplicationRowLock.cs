using Microsoft.EntityFrameworkCore;

namespace ExamReview.MaterialStorage.Data;

/// <summary>
/// On PostgreSQL, the row locks a writer of a candidate's application takes before it reads, held to the end of its
/// transaction. They are <c>FOR NO KEY UPDATE</c>, the lock the writer's own <c>UPDATE</c> (which changes no key) takes
/// anyway, so writers (and deleters) of one row queue on it; the stronger <c>FOR UPDATE</c> would also hold off the
/// foreign-key checks (<c>FOR KEY SHARE</c>) of rows referencing it, which nothing here needs. SQLite runs one writer
/// at a time and needs none: there these do nothing.
/// <list type="bullet">
/// <item>The candidate's writes (<see cref="Api.ApplicationWrites"/>) lock the application's row: every one bumps its
/// optimistic version, so each waits for the one ahead, reads what it left and commits, instead of losing the race,
/// rolling back and going again.</item>
/// <item>The review's commands (lock, unlock, approve, the decisions) lock the application's row and then its images'
/// rows: they bump the version too (session 15's load runs lost about 0.12 such races per upload, each rolled back
/// and redelivered), and they change images whose verdict may be on its way.</item>
/// <item>A verdict locks only its image's row, the only row it changes. Without it, a verdict and a review command
/// that read one image at once would each write the provinces' feed row from what it read, the verdict's with the
/// old review state and the command's with the old verdict, and the later row would be wrong (an area that submits
/// each upload at once sends the lock command while the check still runs). A verdict does not wait for the
/// candidate's uploads, which lock the application but no existing image: the verdict is what the candidate waits
/// for, and six parallel uploads can hold the application for a while under load.</item>
/// </list>
/// Locks are taken application first, then images, and a verdict takes one image and nothing else, so no two writers
/// can wait for each other in a cycle.
/// </summary>
internal static class ApplicationRowLock
{
    public static Task ByCandidateAsync(MaterialStorageDbContext db, Guid candidateId, CancellationToken ct) =>
        db.IsSqlite ? Task.CompletedTask
            : db.Database.ExecuteSqlInterpolatedAsync($"""SELECT 1 FROM "Applications" WHERE "CandidateId" = {candidateId} FOR NO KEY UPDATE""", ct);

    /// <summary>The application's row, then its images' rows, in one round trip.</summary>
    public static Task WithImagesAsync(MaterialStorageDbContext db, Guid applicationId, CancellationToken ct) =>
        db.IsSqlite ? Task.CompletedTask
            : db.Database.ExecuteSqlInterpolatedAsync($"""
                SELECT 1 FROM "Applications" WHERE "Id" = {applicationId} FOR NO KEY UPDATE;
                SELECT 1 FROM "Images" WHERE "ApplicationId" = {applicationId} FOR NO KEY UPDATE;
                """, ct);

    /// <summary>One image's row (none if the image is gone).</summary>
    public static Task ImageAsync(MaterialStorageDbContext db, Guid imageId, CancellationToken ct) =>
        db.IsSqlite ? Task.CompletedTask
            : db.Database.ExecuteSqlInterpolatedAsync($"""SELECT 1 FROM "Images" WHERE "Id" = {imageId} FOR NO KEY UPDATE""", ct);
}
