using System.Globalization;
using System.Net;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Review;

/// <summary>
/// An embedded platform of its own whose area 43 has a seconds-long response window that escalates, a
/// seconds-long claim lease and a one-second deadline scan, so leases and deadlines can be watched expiring.
/// </summary>
public sealed class ShortDeadlinePlatform : EmbeddedPlatform
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["ReviewWorkflow__Claims__Lease"] = "00:00:03",
        ["ReviewWorkflow__Deadlines__ScanInterval"] = "00:00:01",
        ["ReviewWorkflow__Deadlines__Areas__43__ResponseWindow"] = "00:00:10",
        ["ReviewWorkflow__Deadlines__Areas__43__ReminderBefore"] = "00:00:07",
        ["ReviewWorkflow__Deadlines__Areas__43__OnExpiry"] = "Escalate",
    };
}

public sealed class ReviewDeadlineTests(ShortDeadlinePlatform platform) : IClassFixture<ShortDeadlinePlatform>
{
    private readonly ReviewSteps _steps = new(platform.Client);

    [Fact]
    public async Task An_expired_lease_returns_the_case_to_the_queue_and_its_holder_can_no_longer_decide()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var first = await _steps.SiteReviewerAsync("first-" + run);
        var second = await _steps.SiteReviewerAsync("second-" + run);
        var submitted = await _steps.SubmitNewAsync(first);

        await _steps.OkAsync(_steps.ClaimAsync(submitted.CaseId, first));
        await ReviewSteps.RefusedAsync(_steps.ClaimAsync(submitted.CaseId, second), HttpStatusCode.Conflict, "claim_held");

        // Once the lease ends the case is free again: the deadline scan records the expiry, the second reviewer claims it.
        await Eventually.TrueAsync(async () => ReviewSteps.Kinds(await _steps.TimelineAsync(submitted.CaseId, second)).Contains("claim-expired"),
            "the lease to expire", TimeSpan.FromSeconds(30));
        Assert.Null((await _steps.GetCaseAsync(submitted.CaseId, second))["claim"]);
        await _steps.OkAsync(_steps.ClaimAsync(submitted.CaseId, second));
        await ReviewSteps.RefusedAsync(_steps.ApproveImageAsync(submitted.CaseId, submitted.ImageIds[0], first), HttpStatusCode.Conflict, "claim_not_held");
        await _steps.OkAsync(_steps.ApproveImageAsync(submitted.CaseId, submitted.ImageIds[0], second));
    }

    [Fact]
    public async Task A_returned_case_gets_a_reminder_then_is_flagged_overdue_and_escalated_per_its_area()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var site = await _steps.SiteReviewerAsync("site-" + run);
        var area = await _steps.AreaReviewerAsync("area-" + run);
        var submitted = await _steps.SubmitNewAsync(site);
        await _steps.OkAsync(_steps.ClaimAsync(submitted.CaseId, site));
        await _steps.OkAsync(_steps.RequestReplacementAsync(submitted.CaseId, submitted.ImageIds[0], site, "wrong-orientation"));
        var returned = await _steps.OkAsync(_steps.ReturnAsync(submitted.CaseId, site, null));
        var respondBy = returned["respondBy"]!.GetValue<DateTimeOffset>();
        Assert.InRange(respondBy - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(11));

        await Eventually.TrueAsync(async () => ReviewSteps.Kinds(await _steps.TimelineAsync(submitted.CaseId, site)).Contains("escalated"),
            "the response window to end", TimeSpan.FromSeconds(40));
        var entries = await _steps.TimelineAsync(submitted.CaseId, site);
        ReviewSteps.AssertReadsInChinese(entries);
        var timeline = ReviewSteps.Kinds(entries);
        Assert.Single(timeline, k => k == "reminder-sent");
        Assert.True(timeline.IndexOf("reminder-sent") < timeline.IndexOf("response-window-expired"));
        Assert.True(timeline.IndexOf("response-window-expired") < timeline.IndexOf("escalated"));

        var flagged = await _steps.GetCaseAsync(submitted.CaseId, area);
        Assert.True(flagged["overdue"]!.GetValue<bool>());
        Assert.True(flagged["escalated"]!.GetValue<bool>());
        Assert.Equal("Returned", flagged["state"]!.GetValue<string>());
        await _steps.WaitForCaseAsync(submitted.CandidateId, area, _ => true, "&overdue=true&escalated=true");
        await _steps.WaitForCaseAsync(submitted.CandidateId, site, _ => true, "&overdue=true");
    }
}
