using ExamReview.Contracts;
using ExamReview.MaterialStorage.Domain;

namespace ExamReview.UnitTests.Materials;

/// <summary>
/// An image's verdicts, without a database: infected wins whatever order the verdicts come in, and each kind of
/// verdict has its own stable message id, so a redelivery that finds malware is not a duplicate of a clean verdict.
/// </summary>
public sealed class MaterialImageVerdictTests
{
    private static readonly ValidationFinding Malware =
        new(ValidationFindingCodes.MalwareDetected, "恶意文件", "malicious", null, "Eicar-Signature");

    private static readonly ValidationFinding Blurry = new("doc.blurred", "图片不清晰", "blurry", null, null);

    private static MaterialImage NewImage() => new()
    {
        Id = Guid.CreateVersion7(),
        ApplicationId = Guid.CreateVersion7(),
        MaterialType = "id-card",
        ObjectKey = $"originals/{Guid.NewGuid():N}",
        ContentType = "image/jpeg",
        Sha256 = "00",
    };

    private static string CopyOf(MaterialImage image) => MaterialObjects.ReviewerCopyKey(image.ApplicationId, image.Id);

    [Fact]
    public void A_clean_verdict_is_recorded_with_its_copy()
    {
        var image = NewImage();

        Assert.True(image.RecordVerdict(true, [], CopyOf(image)));

        Assert.Equal((ValidationState.Passed, CopyOf(image)), (image.Validation, image.ReviewerCopyKey));
    }

    [Fact]
    public void An_infected_verdict_replaces_a_clean_one_and_drops_its_copy()
    {
        var image = NewImage();
        image.RecordVerdict(true, [], CopyOf(image));

        Assert.True(image.RecordVerdict(false, [Malware], null));

        Assert.Equal(ValidationState.Failed, image.Validation);
        Assert.Null(image.ReviewerCopyKey);
        Assert.Contains(ValidationFindingCodes.MalwareDetected, image.FindingsJson, StringComparison.Ordinal);
    }

    [Fact]
    public void An_infected_verdict_replaces_a_failed_one_and_never_keeps_a_copy_or_passes()
    {
        var image = NewImage();
        image.RecordVerdict(false, [Blurry], CopyOf(image));

        // Flags that contradict the finding still yield no pass and no copy: the file must never be shown.
        Assert.True(image.RecordVerdict(true, [Malware], CopyOf(image)));

        Assert.Equal(ValidationState.Failed, image.Validation);
        Assert.Null(image.ReviewerCopyKey);
        Assert.DoesNotContain(Blurry.Code, image.FindingsJson, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clean_verdict_after_an_infected_one_is_refused_and_changes_nothing()
    {
        var image = NewImage();
        image.RecordVerdict(false, [Malware], null);
        var before = (image.Validation, image.FindingsJson, image.ReviewerCopyKey, image.Revision);

        Assert.False(image.RecordVerdict(true, [], CopyOf(image)));
        Assert.False(image.RecordVerdict(false, [Blurry], CopyOf(image)));

        Assert.Equal(before, (image.Validation, image.FindingsJson, image.ReviewerCopyKey, image.Revision));
    }

    [Fact]
    public void A_later_infected_verdict_replaces_an_infected_one()
    {
        var image = NewImage();
        image.RecordVerdict(false, [Malware], null);
        var renamed = Malware with { Measured = "Eicar-Test-Signature" };

        Assert.True(image.RecordVerdict(false, [renamed], null));

        Assert.Contains("Eicar-Test-Signature", image.FindingsJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Verdicts_without_malware_replace_each_other()
    {
        var image = NewImage();
        image.RecordVerdict(false, [Blurry], null);

        Assert.True(image.RecordVerdict(true, [], CopyOf(image)));

        Assert.Equal((ValidationState.Passed, CopyOf(image), "[]"), (image.Validation, image.ReviewerCopyKey, image.FindingsJson));
    }

    [Fact]
    public void The_infected_and_the_clean_verdict_each_have_a_stable_id_of_their_own()
    {
        var image = Guid.NewGuid();
        var clean = MaterialObjects.VerdictMessageId(image, infected: false);
        var infected = MaterialObjects.VerdictMessageId(image, infected: true);

        Assert.Equal(clean, MaterialObjects.VerdictMessageId(image, infected: false));
        Assert.Equal(infected, MaterialObjects.VerdictMessageId(image, infected: true));
        Assert.NotEqual(clean, infected);
        Assert.NotEqual(infected, MaterialObjects.VerdictMessageId(Guid.NewGuid(), infected: true));
        Assert.Equal(8, infected.Version);
    }

    [Fact]
    public void The_clean_verdicts_id_is_the_one_sent_before_infected_verdicts_had_their_own()
    {
        // Worked out with the earlier derivation (SHA-256 of "MaterialValidated:" and the image id): ids already
        // recorded in inboxes still match a clean verdict sent again after the change.
        var image = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

        Assert.Equal(Guid.Parse("fca633e7-b88f-86ce-994c-4123fce951db"), MaterialObjects.VerdictMessageId(image));
        Assert.Equal(MaterialObjects.VerdictMessageId(image), MaterialObjects.VerdictMessageId(image, infected: false));
    }
}
