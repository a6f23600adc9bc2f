using Microsoft.Extensions.Logging;

namespace ExamReview.ServiceDefaults.Storage;

/// <summary>Objects a committed write no longer references (a replaced image, an earlier photo).</summary>
public static class LeftoverObjects
{
    /// <summary>
    /// Deletes them after the commit. The write has happened: a store that fails here must not turn its answer into an
    /// error, or the client would retry a write that succeeded and be refused. A failure is logged with the key, at
    /// error level, so an operator removes the object (it may be a document the candidate meant to withdraw).
    /// </summary>
    public static async Task DeleteLeftoversAsync(this IObjectStore store, IEnumerable<string> keys, ILogger logger)
    {
        foreach (var key in keys)
        {
            try
            {
                await store.DeleteAsync(key, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogError(ex, "A committed write left object {Key} behind: the object store refused to delete it; remove it by hand", key);
            }
        }
    }
}
