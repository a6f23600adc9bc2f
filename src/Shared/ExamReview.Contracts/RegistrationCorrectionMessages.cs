namespace ExamReview.Contracts;

// ---- Registration: staff corrections (报名信息修改) ----

/// <summary>
/// Site staff corrected fields of a registration (names of the fields, never their values: the values stay in
/// Registration's audit rows). A review case returned for a registration-data problem resumes on it.
/// </summary>
public sealed record RegistrationCorrected(
    Guid CandidateId,
    Guid RegistrationId,
    string RegistrationNumber,
    string AreaCode,
    string SiteCode,
    string ExamCategory,
    IReadOnlyList<string> Fields,
    string Reason,
    string CorrectedBy,
    DateTimeOffset CorrectedAt)
{
    /// <summary>The fields' Chinese names, in the order of <see cref="Fields"/> (empty from a sender that predates them).</summary>
    public IReadOnlyList<string> FieldNamesZh { get; init; } = [];

    /// <summary>
    /// The registration's version after the correction (it grows with every change; a registration is handed over at
    /// 0, see <see cref="CandidateRegistered"/>), so a receiver keeping <see cref="ExamCategory"/> keeps the latest.
    /// </summary>
    public int RegistrationVersion { get; init; }
}

// ---- ReviewWorkflow: a returned case goes on without a resubmission ----

/// <summary>
/// A case returned for a registration-data problem went back to site review once staff corrected the data:
/// the candidate had nothing to upload, and their status leaves 退回修改.
/// </summary>
public sealed record ReviewResumed(Guid CaseId, Guid ApplicationId, Guid CandidateId, string AreaCode, string SiteCode, string Reason, DateTimeOffset At)
{
    public ReviewPosition? Position { get; init; }
}
