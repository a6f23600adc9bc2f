using System.Net;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Review;

/// <summary>
/// An area reviewer's return on a case the site passed with every image ✓: the images are final and nothing is missing,
/// so a return with words only would unlock nothing and leave the candidate nothing to change. Refused (409
/// return_nothing_to_change, Chinese first, the preview too), the case unchanged; a return asking for a material to add goes.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class AreaReturnTests(EmbeddedPlatform platform)
{
    private readonly ReviewSteps _steps = new(platform.Client);

    [Fact]
    public async Task A_return_that_would_unlock_nothing_is_refused_and_one_asking_for_a_material_to_add_goes()
    {
        var site = await _steps.SiteReviewerAsync("kim-" + Guid.NewGuid().ToString("N")[..6]);
        var area = await _steps.AreaReviewerAsync("lee-" + Guid.NewGuid().ToString("N")[..6]);
        var submitted = await _steps.SubmitNewAsync(site);
        await _steps.OkAsync(_steps.ApproveAllAsync(submitted.CaseId, site));
        await _steps.OkAsync(_steps.ClaimAsync(submitted.CaseId, area));

        var body = new { feedback = "身份证反面不清晰，请重新拍摄。", imageIds = Array.Empty<Guid>() };
        var preview = await ReviewSteps.RefusedAsync(_steps.PostAsync($"/api/v1/reviews/cases/{submitted.CaseId}/return/preview", area, body),
            HttpStatusCode.Conflict, "return_nothing_to_change");
        var refused = await ReviewSteps.RefusedAsync(_steps.ReturnAsync(submitted.CaseId, area, body.feedback),
            HttpStatusCode.Conflict, "return_nothing_to_change");
        foreach (var problem in new[] { preview, refused })
        {
            // The console shows the problem's detail: it says why, and what to do instead.
            Assert.Contains("考生无法修改任何材料", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains("问题在报名信息", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        var unchanged = await _steps.GetCaseAsync(submitted.CaseId, area);
        Assert.Equal(("AreaReview", "UnderAreaReview"), (unchanged["state"]!.GetValue<string>(), unchanged["stage"]!.GetValue<string>()));
        Assert.DoesNotContain(await _steps.TimelineAsync(submitted.CaseId, area), e => e["kind"]!.GetValue<string>() == "returned-area");

        // Asking for a material to add is something to do: the preview and the return go, and the timeline says so.
        var supplement = new { feedback = "请补充上传第二家试用机构的试用期考核合格证明。", imageIds = Array.Empty<Guid>(), supplement = true };
        var previewed = await _steps.OkAsync(_steps.PostAsync($"/api/v1/reviews/cases/{submitted.CaseId}/return/preview", area, supplement));
        Assert.Empty(previewed["imagesToReplace"]!.AsArray());
        var returned = await _steps.OkAsync(_steps.PostAsync($"/api/v1/reviews/cases/{submitted.CaseId}/return", area, supplement));
        Assert.Equal(("Returned", false), (returned["state"]!.GetValue<string>(), returned["awaitingCorrection"]!.GetValue<bool>()));
        Assert.Contains(await _steps.TimelineAsync(submitted.CaseId, area), e => e["kind"]!.GetValue<string>() == "returned-area"
            && e["detail"]!.GetValue<string>().StartsWith("要求补充上传材料", StringComparison.Ordinal));
    }
}
