using ExamReview.IntegrationTests.Platform;
using ExamReview.IntegrationTests.Tests.Review;

namespace ExamReview.IntegrationTests.Tests.Security;

/// <summary>
/// The in-scope / out-of-scope half of the matrix: one real candidate with a submitted application and an open review
/// case at site 4301 in area 43, and every operation whose route names a candidate or a case, called by every role the
/// table allows. In scope the answer is never 401, 403 or the missing-id answer (a 4xx for the empty body is fine);
/// out of scope it is exactly the missing-id answer, a 404 with the same code.
/// </summary>
public sealed class ScopeMatrix(PlatformClient client)
{
    public static async Task<Dictionary<Who, string>> RoleTokensAsync(PlatformClient client, Guid candidateId, string site, string area) => new()
    {
        [Who.Candidate] = await client.CandidateTokenAsync(candidateId),
        [Who.SiteReviewer] = await client.TokenAsync(new { subject = $"matrix-site-{site}", role = "site-reviewer", site }),
        [Who.AreaReviewer] = await client.TokenAsync(new { subject = $"matrix-area-{area}", role = "area-reviewer", area }),
        [Who.Province] = await client.TokenAsync(new { subject = $"matrix-province-{area}", role = "province", area }),
        [Who.Operator] = await client.OperatorTokenAsync(),
    };

    public async Task<List<string>> RunAsync(IReadOnlyList<MatrixOperation> operations)
    {
        var steps = new ReviewSteps(client);
        var submitted = await steps.SubmitNewAsync(await steps.SiteReviewerAsync("matrix"));
        var inScope = await RoleTokensAsync(client, submitted.CandidateId, "4301", "43");
        var outOfScope = await RoleTokensAsync(client, Guid.NewGuid(), "4302", "44");
        // An operator's scope is everything: there is no out of scope for it.
        outOfScope.Remove(Who.Operator);
        var image = submitted.ImageIds[0];
        var (missingCandidate, missingCase) = (Guid.NewGuid(), Guid.NewGuid());

        var pairs = operations.SelectMany(o => Enum.GetValues<Who>().Where(r => IsRole(r) && AuthorisationExpectations.Allowed[o.Id].HasFlag(r)).Select(r => (Operation: o, Role: r))).ToList();
        var failures = new List<string>();

        // Out of scope first: these calls change nothing, so they can run side by side.
        var outside = await MatrixOperations.InParallelAsync(pairs.Where(p => outOfScope.ContainsKey(p.Role)), async p =>
        {
            var existing = await AnswerAsync(p.Operation, p.Operation.PathFor(submitted.CandidateId, submitted.CaseId, image), outOfScope[p.Role]);
            var missing = await AnswerAsync(p.Operation, p.Operation.PathFor(missingCandidate, missingCase, image), outOfScope[p.Role]);
            return (p.Operation, p.Role, existing, missing);
        });
        foreach (var (operation, role, existing, missing) in outside)
        {
            if (existing != missing || !existing.StartsWith("404 ", StringComparison.Ordinal))
            {
                failures.Add($"{operation.Id} as {role} out of scope: {existing}, a missing id: {missing}");
            }
        }

        // In scope: reads side by side, then writes one at a time in a fixed order (they may move the case on).
        var inside = await MatrixOperations.InParallelAsync(pairs.Where(p => p.Operation.Method == "GET"), p => InScopeAsync(p.Operation, p.Role));
        foreach (var pair in pairs.Where(p => p.Operation.Method != "GET"))
        {
            inside.Add(await InScopeAsync(pair.Operation, pair.Role));
        }
        failures.AddRange(inside.Where(f => f is not null).Select(f => f!));
        return failures;

        async Task<string?> InScopeAsync(MatrixOperation operation, Who role)
        {
            var missing = await AnswerAsync(operation, operation.PathFor(missingCandidate, missingCase, image), inScope[role]);
            var existing = await AnswerAsync(operation, operation.PathFor(submitted.CandidateId, submitted.CaseId, image), inScope[role]);
            var refused = existing.StartsWith("401 ", StringComparison.Ordinal) || existing.StartsWith("403 ", StringComparison.Ordinal) || existing.StartsWith('5');
            return refused || existing == missing ? $"{operation.Id} ({operation.Key}) as {role} in scope: {existing}, a missing id: {missing}" : null;
        }
    }

    private static bool IsRole(Who role) => role is Who.Candidate or Who.SiteReviewer or Who.AreaReviewer or Who.Province or Who.Operator;

    private async Task<string> AnswerAsync(MatrixOperation operation, string path, string token)
    {
        using var response = await MatrixOperations.SendAsync(client, operation, path, token, AuthorisationExpectations.ScopeBodies.GetValueOrDefault(operation.Id));
        return await MatrixOperations.AnswerAsync(response);
    }
}
