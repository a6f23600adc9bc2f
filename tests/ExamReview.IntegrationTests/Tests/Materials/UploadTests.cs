using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Materials;

/// <summary>The candidate's checklist, uploads, replacements and their refusals on the embedded platform.</summary>
[Collection(EmbeddedCollection.Name)]
public sealed class UploadTests(EmbeddedPlatform platform)
{
    private readonly MaterialSteps _steps = new(platform.Client);

    /// <summary>Stored originals of one candidate's application (other tests and watermarked copies write elsewhere).</summary>
    private async Task<int> OriginalsAsync(Candidate candidate)
    {
        var applicationId = Guid.Parse((await _steps.ApplicationAsync(candidate))["applicationId"]!.GetValue<string>());
        var folder = Path.Combine(platform.ObjectsDirectory, "originals", applicationId.ToString("N"));
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder).Count(f => !f.EndsWith(".meta", StringComparison.Ordinal) && !f.Contains(".tmp", StringComparison.Ordinal))
            : 0;
    }

    [Fact]
    public async Task The_checklist_shows_feedback_first_then_what_each_type_requires_and_what_is_missing()
    {
        var candidate = await _steps.RegisterAsync(profile: new { trialInstitutionCount = 2 });
        await _steps.UploadOkAsync(candidate, "id-card");
        using var response = await _steps.Client.SendAsync(HttpMethod.Get, MaterialSteps.Materials, $"/api/v1/materials/candidates/{candidate.Id}", candidate.Token);
        var raw = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("{\"feedback\":", raw, StringComparison.Ordinal);

        var application = JsonNode.Parse(raw)!;
        Assert.Equal("Explicit", application["submissionMode"]!.GetValue<string>());
        Assert.Equal(200 * 1024, application["maxImageBytes"]!.GetValue<long>());
        var id = MaterialSteps.ChecklistItem(application, "id-card");
        Assert.Equal(("required", 3, 1, 2), (id["requirement"]!.GetValue<string>(), id["minCount"]!.GetValue<int>(), id["uploaded"]!.GetValue<int>(), id["missing"]!.GetValue<int>()));
        var trial = MaterialSteps.ChecklistItem(application, "trial-period-certificate");
        Assert.Equal(("required", 2), (trial["requirement"]!.GetValue<string>(), trial["missing"]!.GetValue<int>()));
        Assert.Equal("required", MaterialSteps.ChecklistItem(application, "institution-licence")["requirement"]!.GetValue<string>());
        Assert.Equal("not-applicable", MaterialSteps.ChecklistItem(application, "student-card")["requirement"]!.GetValue<string>());
        Assert.Equal("required", MaterialSteps.ChecklistItem(application, "registration-notice")["requirement"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(id["description"]!.GetValue<string>()));
        Assert.Equal("examples/id-card.png", id["exampleImage"]!.GetValue<string>());

        using var submit = await _steps.SubmitAsync(candidate);
        var problem = await PlatformClient.ProblemAsync(submit, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["id-card", "institution-licence", "trial-period-certificate", "graduation-certificate", "registration-notice"],
            problem["missing"]!.AsArray().Select(m => m!["materialType"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_type_that_does_not_apply_is_refused_until_the_candidates_profile_makes_it_apply()
    {
        var candidate = await _steps.RegisterAsync();
        Assert.Equal(0, await OriginalsAsync(candidate));
        using (var refused = await _steps.UploadAsync(candidate, "college-diploma", MaterialImages.Document()))
        {
            Assert.Equal("material_not_applicable", await MaterialSteps.CodeAsync(refused, HttpStatusCode.UnprocessableEntity));
        }
        Assert.Equal(0, await OriginalsAsync(candidate));

        // 专升本 after 2015-09-01: Registration publishes the new facts, MaterialStorage re-evaluates the catalog.
        using (var update = await _steps.Client.SendAsync(HttpMethod.Put, MaterialSteps.Registration, "/api/v1/registrations/me/profile", candidate.Token,
            JsonContent.Create(new { upgradedFromCollege = true, upgradeEntryDate = "2016-09-01" })))
        {
            await PlatformClient.EnsureAsync(update, HttpStatusCode.OK);
            var registration = (await update.Content.ReadFromJsonAsync<JsonNode>())!;
            Assert.Equal(1, registration["profile"]!["profileVersion"]!.GetValue<int>());
        }
        await Eventually.TrueAsync(async () =>
            MaterialSteps.ChecklistItem(await _steps.ApplicationAsync(candidate), "college-diploma")["requirement"]!.GetValue<string>() == "required",
            "the college diploma to become required");
        await _steps.UploadOkAsync(candidate, "college-diploma");
    }

    [Fact]
    public async Task Invalid_profile_facts_are_refused_by_registration_naming_each_field()
    {
        var token = await _steps.Client.CandidateTokenAsync(Guid.NewGuid());
        using var response = await _steps.Client.SendAsync(HttpMethod.Post, MaterialSteps.Registration, "/api/v1/registrations", token,
            JsonContent.Create(MaterialSteps.RegistrationBody("43", "4301", new
            {
                educationLevel = "kindergarten",
                upgradedFromCollege = true,
                postgraduateStatus = "graduated",
                repeatCandidate = true,
                nationality = "martian",
                trialInstitutionCount = 40,
            })));
        var errors = (await PlatformClient.ProblemAsync(response, HttpStatusCode.BadRequest))["errors"]!.AsObject();
        foreach (var field in new[] { "profile.educationLevel", "profile.upgradeEntryDate", "profile.postgraduateEntryDate", "profile.previousExamYear", "profile.nationality", "profile.trialInstitutionCount" })
        {
            Assert.True(errors.ContainsKey(field), $"no error for {field}: {errors}");
        }
        using var mine = await _steps.Client.SendAsync(HttpMethod.Get, MaterialSteps.Registration, "/api/v1/registrations/me", token);
        await PlatformClient.ProblemAsync(mine, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_areas_size_limit_applies_and_the_format_is_judged_by_the_bytes()
    {
        var (area, site) = await _steps.NewAreaAsync();
        var fits = MaterialImages.Document();
        var limit = Math.Max(10 * 1024, fits.Length + 1);
        await _steps.PutSettingsAsync(area, "explicit", limit);
        var candidate = await _steps.RegisterAsync(area, site);
        Assert.Equal(0, await OriginalsAsync(candidate));

        using (var large = await _steps.UploadAsync(candidate, "id-card", MaterialImages.Oversized(limit + 1)))
        {
            var problem = await PlatformClient.ProblemAsync(large, HttpStatusCode.RequestEntityTooLarge);
            Assert.Equal("file_too_large", problem["code"]!.GetValue<string>());
            Assert.Equal(limit, problem["maxBytes"]!.GetValue<long>());
        }
        using (var fake = await _steps.UploadAsync(candidate, "id-card", Encoding.UTF8.GetBytes("GIF89a not a jpeg at all"), "photo.jpeg"))
        {
            Assert.Equal("unsupported_format", await MaterialSteps.CodeAsync(fake, HttpStatusCode.UnsupportedMediaType));
        }
        Assert.Equal(0, await OriginalsAsync(candidate));
        await _steps.UploadOkAsync(candidate, "id-card", fits);
        Assert.Equal(1, await OriginalsAsync(candidate));
        Assert.Equal(limit, (await _steps.ApplicationAsync(candidate))["maxImageBytes"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_file_over_200KB_that_the_area_allows_passes_its_checks()
    {
        // The area raised maxImageBytes: ImageValidation judges the size by the limit the upload was accepted under
        // (MaterialUploaded.MaxFileBytes), not by the national 200 KB, or the candidate could never submit it.
        var (area, site) = await _steps.NewAreaAsync();
        var large = TestImages.LargeDocument();
        Assert.True(large.Length > 200 * 1024, $"the large page is only {large.Length} bytes");
        await _steps.PutSettingsAsync(area, "explicit", 2 * 1024 * 1024);
        var candidate = await _steps.RegisterAsync(area, site);

        var imageId = await _steps.UploadOkAsync(candidate, "id-card", large);
        var judged = await Eventually.GetAsync(async () =>
        {
            var view = await _steps.ApplicationAsync(candidate);
            var image = view["images"]!.AsArray().Single(i => i!["imageId"]!.GetValue<string>() == imageId.ToString())!;
            return image["validation"]!.GetValue<string>() == "Pending" ? null : image;
        }, "the large page's checks");
        Assert.Equal("Passed", judged["validation"]!.GetValue<string>());
        Assert.DoesNotContain("doc.too_large", judged["findings"]!.AsArray().Select(f => f!["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Replacing_an_image_swaps_its_bytes_for_a_new_image_in_the_same_slot()
    {
        var candidate = await _steps.RegisterAsync();
        var first = await _steps.UploadOkAsync(candidate, "id-card");
        await _steps.UploadOkAsync(candidate, "id-card");
        await _steps.UploadOkAsync(candidate, "id-card");

        var png = MaterialImages.Png();
        Guid replacement;
        using (var replaced = await _steps.ReplaceAsync(candidate, first, png))
        {
            await PlatformClient.EnsureAsync(replaced, HttpStatusCode.OK);
            var body = (await replaced.Content.ReadFromJsonAsync<JsonNode>())!;
            replacement = Guid.Parse(body["imageId"]!.GetValue<string>());
            Assert.Equal("image/png", body["contentType"]!.GetValue<string>());
            Assert.Equal("id-card", body["materialType"]!.GetValue<string>());
        }
        Assert.NotEqual(first, replacement);
        var application = await _steps.ApplicationAsync(candidate);
        var ids = application["images"]!.AsArray().Select(i => Guid.Parse(i!["imageId"]!.GetValue<string>())).ToList();
        Assert.Equal(3, ids.Count);
        Assert.DoesNotContain(first, ids);
        Assert.Contains(replacement, ids);
        // The new bytes are stored as they came; what the candidate is shown is their watermarked (JPEG) copy once judged.
        var applicationId = Guid.Parse(application["applicationId"]!.GetValue<string>());
        Assert.Equal(png, await File.ReadAllBytesAsync(Path.Combine(platform.ObjectsDirectory, "originals", applicationId.ToString("N"), replacement.ToString("N"))));
        var shown = await Eventually.GetAsync(async () =>
        {
            using var content = await _steps.Client.SendAsync(HttpMethod.Get, MaterialSteps.Materials, $"/api/v1/materials/candidates/{candidate.Id}/images/{replacement}/content", candidate.Token);
            return content.StatusCode == HttpStatusCode.OK ? await content.Content.ReadAsByteArrayAsync() : null;
        }, "the replacement's watermarked copy");
        Assert.Equal([0xFF, 0xD8, 0xFF], shown[..3]);

        using (var text = await _steps.ReplaceAsync(candidate, replacement, Encoding.UTF8.GetBytes("plain text")))
        {
            Assert.Equal("unsupported_format", await MaterialSteps.CodeAsync(text, HttpStatusCode.UnsupportedMediaType));
        }
        using (var gone = await _steps.ReplaceAsync(candidate, first, MaterialImages.Document()))
        {
            Assert.Equal("image_not_found", await MaterialSteps.CodeAsync(gone, HttpStatusCode.NotFound));
        }
        var other = await _steps.Client.CandidateTokenAsync(Guid.NewGuid());
        using (var foreign = await _steps.Client.SendAsync(HttpMethod.Put, MaterialSteps.Materials, $"/api/v1/materials/candidates/{candidate.Id}/images/{replacement}", other,
            new MultipartFormDataContent { { new ByteArrayContent(MaterialImages.Document()), "file", "x.jpg" } }))
        {
            Assert.Equal("application_not_found", await MaterialSteps.CodeAsync(foreign, HttpStatusCode.NotFound));
        }

        // The half-size PNG is below the legible resolution, so its checks fail and would block 提交审核: the
        // candidate replaces it with a proper scan first.
        var judged = await Eventually.GetAsync(async () =>
        {
            var view = await _steps.ApplicationAsync(candidate);
            var image = view["images"]!.AsArray().Single(i => i!["imageId"]!.GetValue<string>() == replacement.ToString())!;
            return image["validation"]!.GetValue<string>() == "Pending" ? null : image;
        }, "the PNG's checks");
        Assert.Equal("Failed", judged["validation"]!.GetValue<string>());
        Assert.Contains("doc.low_resolution", judged["findings"]!.AsArray().Select(f => f!["code"]!.GetValue<string>()));
        using (var again = await _steps.ReplaceAsync(candidate, replacement, MaterialImages.Document()))
        {
            await PlatformClient.EnsureAsync(again, HttpStatusCode.OK);
            replacement = Guid.Parse((await again.Content.ReadFromJsonAsync<JsonNode>())!["imageId"]!.GetValue<string>());
        }

        // Locked by 提交审核: neither replace nor delete.
        await _steps.UploadOkAsync(candidate, "institution-licence");
        await _steps.UploadOkAsync(candidate, "trial-period-certificate");
        await _steps.UploadOkAsync(candidate, "graduation-certificate");
        await _steps.UploadOkAsync(candidate, "registration-notice");
        using (var submit = await _steps.SubmitAsync(candidate))
        {
            await PlatformClient.EnsureAsync(submit, HttpStatusCode.OK);
        }
        using (var locked = await _steps.ReplaceAsync(candidate, replacement, MaterialImages.Document()))
        {
            Assert.Equal("application_locked", await MaterialSteps.CodeAsync(locked, HttpStatusCode.Conflict));
        }
    }

    [Fact]
    public async Task Continuous_mode_submits_each_upload_keeps_unreviewed_images_editable_and_locks_an_approved_one_for_good()
    {
        var (area, site) = await _steps.NewAreaAsync();
        await _steps.PutSettingsAsync(area, "continuous");
        var candidate = await _steps.RegisterAsync(area, site);

        var first = await _steps.UploadOkAsync(candidate, "id-card");
        var application = await _steps.ApplicationAsync(candidate);
        Assert.Equal(("Submitted", false, 1, "Continuous"), (application["state"]!.GetValue<string>(), application["locked"]!.GetValue<bool>(),
            application["submissionNumber"]!.GetValue<int>(), application["submissionMode"]!.GetValue<string>()));
        var second = await _steps.UploadOkAsync(candidate, "id-card");
        Assert.Equal(1, (await _steps.ApplicationAsync(candidate))["submissionNumber"]!.GetValue<int>());
        using (var submit = await _steps.SubmitAsync(candidate))
        {
            Assert.Equal("submission_is_continuous", await MaterialSteps.CodeAsync(submit, HttpStatusCode.Conflict));
        }

        // The first upload opened the review case; a reviewer approves one image: it is locked for good.
        var reviewer = await _steps.Client.TokenAsync(new { subject = $"site-{site}", role = "site-reviewer", site });
        var caseId = await _steps.WaitForCaseAsync(candidate.Id, reviewer);
        // The second upload reaches the case as its own message; a decision racing it would rightly get 409 concurrent_change.
        await Eventually.TrueAsync(async () =>
            (await _steps.Client.GetJsonAsync("ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}", reviewer))["imageIds"]!.AsArray()
                .Any(i => i!.GetValue<string>() == second.ToString()),
            "the review case to know the second upload");
        using (var claim = await _steps.Client.SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}/claim", reviewer))
        {
            await PlatformClient.EnsureAsync(claim, HttpStatusCode.OK);
        }
        using (var approve = await PlatformClient.WhenCheckedAsync(() =>
            _steps.Client.SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}/images/{first}/approve", reviewer)))
        {
            await PlatformClient.EnsureAsync(approve, HttpStatusCode.OK);
        }
        await Eventually.TrueAsync(async () =>
            (await _steps.ApplicationAsync(candidate))["images"]!.AsArray().Any(i => i!["imageId"]!.GetValue<string>() == first.ToString() && i["approved"]!.GetValue<bool>()),
            "the approval to reach MaterialStorage");

        using (var delete = await _steps.DeleteAsync(candidate, first))
        {
            Assert.Equal("image_approved", await MaterialSteps.CodeAsync(delete, HttpStatusCode.Conflict));
        }
        using (var replace = await _steps.ReplaceAsync(candidate, first, MaterialImages.Document()))
        {
            Assert.Equal("image_approved", await MaterialSteps.CodeAsync(replace, HttpStatusCode.Conflict));
        }
        // The later upload joined the open case as unreviewed (MaterialSubmitted).
        await Eventually.TrueAsync(async () =>
        {
            var reviewCase = await _steps.Client.GetJsonAsync("ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}", reviewer);
            return reviewCase["images"]!.AsArray().Any(i => i!["imageId"]!.GetValue<string>() == second.ToString() && i["decision"]!.GetValue<string>() == "Pending");
        }, "the second upload to join the review case");

        // The unreviewed image stays editable in continuous mode, and leaves the case when deleted.
        using (var delete = await _steps.DeleteAsync(candidate, second))
        {
            await PlatformClient.EnsureAsync(delete, HttpStatusCode.NoContent);
        }
        await Eventually.TrueAsync(async () =>
        {
            var reviewCase = await _steps.Client.GetJsonAsync("ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}", reviewer);
            return reviewCase["imageIds"]!.AsArray().All(i => i!.GetValue<string>() != second.ToString());
        }, "the deleted image to leave the review case");
        var after = await _steps.ApplicationAsync(candidate);
        Assert.Equal(1, MaterialSteps.ChecklistItem(after, "id-card")["approved"]!.GetValue<int>());
        Assert.Single(after["images"]!.AsArray());
    }

    [Fact]
    public async Task A_return_shows_the_feedback_on_top_unlocks_only_the_named_image_and_the_replacement_can_be_resubmitted()
    {
        var candidate = await _steps.RegisterAsync();
        foreach (var type in PlatformClient.PlainCandidateSet)
        {
            await _steps.UploadOkAsync(candidate, type);
        }
        using (var submit = await _steps.SubmitAsync(candidate))
        {
            await PlatformClient.EnsureAsync(submit, HttpStatusCode.OK);
        }
        var images = (await _steps.ApplicationAsync(candidate))["images"]!.AsArray().Select(i => Guid.Parse(i!["imageId"]!.GetValue<string>())).ToList();

        var reviewer = await _steps.Client.TokenAsync(new { subject = "site-materials-" + Guid.NewGuid().ToString("N")[..6], role = "site-reviewer", site = "4301" });
        var caseId = await _steps.WaitForCaseAsync(candidate.Id, reviewer);
        foreach (var (path, body) in new (string, object?)[]
        {
            ($"/api/v1/reviews/cases/{caseId}/claim", null),
            ($"/api/v1/reviews/cases/{caseId}/images/{images[0]}/request-replacement", new { reasonCode = "other", note = "反面不清晰" }),
            ($"/api/v1/reviews/cases/{caseId}/return", new { feedback = "请重新上传身份证" }),
        })
        {
            await PostDecisionAsync(path, body, reviewer);
        }

        var returned = await Eventually.GetAsync(async () =>
        {
            var view = await _steps.ApplicationAsync(candidate);
            return view["state"]!.GetValue<string>() == "Returned" ? view : null;
        }, "the return to unlock the application");
        Assert.Contains("请重新上传身份证", returned["feedback"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(returned["locked"]!.GetValue<bool>());
        var id = MaterialSteps.ChecklistItem(returned, "id-card");
        Assert.Equal((1, 1), (id["replacementRequested"]!.GetValue<int>(), id["missing"]!.GetValue<int>()));

        // Only the named image may change; the others were reviewed and stay locked.
        using (var locked = await _steps.DeleteAsync(candidate, images[1]))
        {
            Assert.Equal("image_locked", await MaterialSteps.CodeAsync(locked, HttpStatusCode.Conflict));
        }
        using (var locked = await _steps.ReplaceAsync(candidate, images[2], MaterialImages.Document()))
        {
            Assert.Equal("image_locked", await MaterialSteps.CodeAsync(locked, HttpStatusCode.Conflict));
        }
        using (var early = await _steps.SubmitAsync(candidate))
        {
            Assert.Equal("materials_missing", await MaterialSteps.CodeAsync(early, HttpStatusCode.UnprocessableEntity));
        }
        using (var replaced = await _steps.ReplaceAsync(candidate, images[0], MaterialImages.Document()))
        {
            await PlatformClient.EnsureAsync(replaced, HttpStatusCode.OK);
        }
        using (var resubmit = await _steps.SubmitAsync(candidate))
        {
            await PlatformClient.EnsureAsync(resubmit, HttpStatusCode.OK);
            Assert.Equal(2, (await resubmit.Content.ReadFromJsonAsync<JsonNode>())!["submissionNumber"]!.GetValue<int>());
        }
    }

    private async Task PostDecisionAsync(string path, object? body, string reviewer)
    {
        using var content = body is null ? null : JsonContent.Create(body);
        using var response = await _steps.Client.SendAsync(HttpMethod.Post, "ReviewWorkflow", path, reviewer, content);
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
    }
}
