namespace ExamReview.ReviewWorkflow.Domain;

/// <summary>A candidate's exam category, learnt from CandidateRegistered, so queues can be filtered by it.</summary>
public sealed class CandidateProfile
{
    public Guid CandidateId { get; set; }
    public required string ExamCategory { get; set; }

    /// <summary>
    /// The registration's version the category is from: 0 from the hand-over (CandidateRegistered), the version after
    /// the correction from RegistrationCorrected. Two messages set the category; the later registration wins whatever
    /// order they arrive in.
    /// </summary>
    public int RegistrationVersion { get; set; }

    /// <summary>Takes the category as of <paramref name="registrationVersion"/>; false (nothing changes) when a later one is known.</summary>
    public bool TakeCategory(string examCategory, int registrationVersion)
    {
        if (registrationVersion < RegistrationVersion)
        {
            return false;
        }
        ExamCategory = examCategory;
        RegistrationVersion = registrationVersion;
        return true;
    }
}

/// <summary>An uploaded image's material type, learnt from MaterialUploaded, so a replacement can be matched to the image it replaces.</summary>
public sealed class KnownImage
{
    /// <summary>The material type of an image a lock snapshot named before its MaterialUploaded arrived.</summary>
    public const string NotYetKnown = "";

    public Guid ImageId { get; set; }
    public Guid CandidateId { get; set; }
    public required string MaterialType { get; set; }

    /// <summary>The catalog's name of the material type (有效身份证明 …), what the candidate's feedback names.</summary>
    public string? MaterialName { get; set; }

    /// <summary>The image's lock as MaterialStorage decided it (Open, Locked, Approved) and its Chinese label, as of <see cref="LockVersion"/>.</summary>
    public string? LockState { get; set; }
    public string? LockLabel { get; set; }
    public int LockVersion { get; set; }

    /// <summary>ImageValidation's verdict (MaterialValidated): whether a reviewer may give the image its ✓.</summary>
    public ImageCheck Check { get; set; }

    /// <summary>A verdict found malware: it stays, whatever verdict arrives after it (<see cref="RecordCheck"/>).</summary>
    public bool Infected { get; set; }

    /// <summary>
    /// Takes a verdict, unless it would replace an infected one: MaterialStorage's rule (MaterialImage.RecordVerdict), so
    /// both services agree. The bytes never change under one image id, so a clean verdict after an infected one was
    /// judged with older signatures or overtook it on the way; between verdicts without malware the later one wins.
    /// </summary>
    /// <summary>
    /// Takes the verdict a submission carries (<see cref="Contracts.ApplicationSubmitted.Checks"/>) only where none is
    /// known here yet: a verdict that reached this service itself may be newer (a later scan) than the submission's copy.
    /// </summary>
    public void LearnCheckAtSubmission(bool passed, bool infected)
    {
        if (Check == ImageCheck.Pending)
        {
            RecordCheck(passed, infected);
        }
    }

    /// <returns>False when the verdict is refused; then nothing changed.</returns>
    public bool RecordCheck(bool passed, bool infected)
    {
        if (Infected && !infected)
        {
            return false;
        }
        Infected = infected;
        // Malware is a failure whatever the flag says.
        Check = passed && !infected ? ImageCheck.Passed : ImageCheck.Failed;
        return true;
    }
}
