using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// Makes requests race for real: when expecting n saves, holds each of the first n until all n are about to write (so
/// all of them read before any wrote), then lets them go together. Later saves pass. On SQLite here and on PostgreSQL
/// in the integration tests (linked there).
/// </summary>
public sealed class SavesMeet : SaveChangesInterceptor
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting; // below zero once the expected saves have met (or none were expected): later saves pass

    public bool Met => _all.Task.IsCompletedSuccessfully;

    public void Expect(int saves) => _waiting = saves;

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        var left = Interlocked.Decrement(ref _waiting);
        if (left == 0)
        {
            _all.SetResult();
        }
        else if (left > 0)
        {
            await _all.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        return result;
    }
}
