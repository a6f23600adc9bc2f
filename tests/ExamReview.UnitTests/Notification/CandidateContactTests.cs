using ExamReview.Contracts;
using ExamReview.Notification.Domain;

namespace ExamReview.UnitTests.Notification;

/// <summary>
/// Notification's copy of a candidate's contact and when the previous number is warned of a change: only a newer
/// version that moves the number, never the first number, an older or already-seen version, or an area move.
/// </summary>
public sealed class CandidateContactTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 10, 30, 0, TimeSpan.Zero);
    private static readonly Guid CandidateId = Guid.NewGuid();
    private const string OldMobile = "13812341234";
    private const string NewMobile = "13998765678";

    private static CandidateContact Known(int version = 3) => new()
    {
        CandidateId = CandidateId,
        AreaCode = "43",
        MobileNumber = OldMobile,
        ContactVersion = version,
        UpdatedAt = Now.AddDays(-1),
    };

    [Fact]
    public void A_newer_version_that_moves_the_number_warns_the_old_number_with_only_the_new_numbers_last_four_digits()
    {
        var contact = Known();
        var changedAt = new DateTimeOffset(2027, 3, 1, 10, 5, 0, TimeSpan.Zero); // 18:05 in Beijing

        var notice = contact.Apply(new CandidateContactChanged(CandidateId, "43", NewMobile, 4) { ChangedAt = changedAt }, Now);

        Assert.NotNull(notice);
        Assert.Equal((CandidateId, "43", OldMobile, 4, SmsTemplates.MobileChanged),
            (notice.CandidateId, notice.AreaCode, notice.PreviousMobileNumber, notice.ContactVersion, notice.Template));
        Assert.Equal(new Dictionary<string, string>
        {
            [SmsTemplates.MobileTailVariable] = "5678",
            [SmsTemplates.ChangedAtVariable] = "2027-03-01 18:05",
        }, notice.Variables);
        Assert.DoesNotContain(notice.Variables.Values, v => v.Contains(NewMobile[..7], StringComparison.Ordinal));
        Assert.Equal((NewMobile, 4, Now), (contact.MobileNumber, contact.ContactVersion, contact.UpdatedAt));
    }

    [Fact]
    public void A_change_that_does_not_say_when_it_happened_is_dated_by_its_arrival()
    {
        var notice = Known().Apply(new CandidateContactChanged(CandidateId, "43", NewMobile, 4), Now);

        Assert.Equal("2027-03-01 18:30", notice!.Variables[SmsTemplates.ChangedAtVariable]);
    }

    [Fact]
    public void A_newer_version_with_the_same_number_warns_nobody_and_takes_the_new_area()
    {
        var contact = Known();

        Assert.Null(contact.Apply(new CandidateContactChanged(CandidateId, "44", OldMobile, 4), Now));

        Assert.Equal(("44", OldMobile, 4), (contact.AreaCode, contact.MobileNumber, contact.ContactVersion));
    }

    [Fact]
    public void An_older_version_arriving_late_warns_nobody_and_changes_nothing()
    {
        var contact = Known(version: 5);

        Assert.Null(contact.Apply(new CandidateContactChanged(CandidateId, "43", NewMobile, 4), Now));

        Assert.Equal(("43", OldMobile, 5, Now.AddDays(-1)), (contact.AreaCode, contact.MobileNumber, contact.ContactVersion, contact.UpdatedAt));
    }

    [Fact]
    public void The_version_already_applied_warns_nobody_a_second_time()
    {
        var contact = Known();
        var change = new CandidateContactChanged(CandidateId, "43", NewMobile, 4);
        Assert.NotNull(contact.Apply(change, Now));

        Assert.Null(contact.Apply(change, Now.AddMinutes(1))); // the same change delivered or published again
        Assert.Equal((NewMobile, 4), (contact.MobileNumber, contact.ContactVersion));
    }

    [Fact]
    public void The_first_number_ever_learned_warns_nobody()
    {
        var (contact, notice) = CandidateContact.Learn(null, new CandidateContactChanged(CandidateId, "43", NewMobile, 7), Now);

        Assert.Null(notice);
        Assert.Equal((CandidateId, "43", NewMobile, 7, Now), (contact.CandidateId, contact.AreaCode, contact.MobileNumber, contact.ContactVersion, contact.UpdatedAt));
    }

    [Fact]
    public void A_known_contact_is_changed_in_place_and_its_notice_returned()
    {
        var known = Known();

        var (contact, notice) = CandidateContact.Learn(known, new CandidateContactChanged(CandidateId, "43", NewMobile, 4), Now);

        Assert.Same(known, contact);
        Assert.Equal(OldMobile, notice!.PreviousMobileNumber);
    }

    [Fact]
    public void Another_candidates_change_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => Known().Apply(new CandidateContactChanged(Guid.NewGuid(), "43", NewMobile, 4), Now));
    }
}
