namespace ExamReview.IntegrationTests.Tests.Security;

/// <summary>The human roles the matrix signs in as (a service credential is another scheme, tested on its own).</summary>
[Flags]
public enum Who
{
    Nobody = 0,
    Candidate = 1,
    SiteReviewer = 2,
    AreaReviewer = 4,
    Province = 8,
    Operator = 16,
    Reviewers = SiteReviewer | AreaReviewer,
    Staff = SiteReviewer | AreaReviewer | Province | Operator,
    Anyone = Candidate | Staff,
}

/// <summary>
/// Issue 15's expectation table: for every operation id of every OpenAPI document, who may call it. A role not listed
/// must be refused with 403 (the role says nothing about any resource); a listed role must never get 401 or 403 — its
/// scope then decides, and outside it the answer is the same 404 as for a missing resource. An operation id that is
/// not in this table fails the matrix: a new endpoint needs a deliberate line here.
/// </summary>
public static class AuthorisationExpectations
{
    /// <summary>
    /// Operations anyone may call without signing in, each for a stated reason (every role may call them too). The
    /// development token issuer is not here: the matrix runs with a configured signing key, as production does, and then
    /// the issuer is not mapped at all (the matrix checks it is absent; DevTokenIssuerTests cover the development run).
    /// </summary>
    public static readonly IReadOnlySet<string> Anonymous = new HashSet<string>(StringComparer.Ordinal)
    {
        "checkPhoto",           // the public photo tool, rate-limited per address
        "exchangeHandover",     // the hand-over authorisation in the body is the credential
        "getExampleImage",      // generic example images
        "verifyNotice",         // the printed notice's QR code is checked by anyone
        "activateAccount",      // issue 18: the activation authorisation in the body is the credential
        "signInWithPassword",   // issue 18: ID number + password are the credential (rate-limited, lock-out)
        "completeSignIn",       // issue 18: the SMS code is the credential
        "requestPasswordReset", // issue 18: answers alike for any ID number; the code goes to the registered mobile
        "confirmPasswordReset", // issue 18: the SMS code is the credential
    };

    public static readonly IReadOnlyDictionary<string, Who> Allowed = new Dictionary<string, Who>(StringComparer.Ordinal)
    {
        // Public.
        ["checkPhoto"] = Who.Anyone,
        ["exchangeHandover"] = Who.Anyone,
        ["getExampleImage"] = Who.Anyone,
        ["verifyNotice"] = Who.Anyone,
        ["activateAccount"] = Who.Anyone,
        ["signInWithPassword"] = Who.Anyone,
        ["completeSignIn"] = Who.Anyone,
        ["requestPasswordReset"] = Who.Anyone,
        ["confirmPasswordReset"] = Who.Anyone,

        // Provincial integration (issue 14): machine clients of a province only, every call scoped to their area.
        ["syncProvincialRegistrations"] = Who.Province,
        ["getProvincialRegistration"] = Who.Province,
        ["correctProvincialRegistration"] = Who.Province,
        ["syncProvincialApplications"] = Who.Province,
        ["syncProvincialReviews"] = Who.Province,
        ["getProvincialReview"] = Who.Province,
        ["decideProvincialReview"] = Who.Province,

        // Registration: the candidate's own registration ("me"), staff in scope by candidate id, operators for reference data.
        ["createRegistration"] = Who.Candidate,
        ["getMyRegistration"] = Who.Candidate,
        ["updateMyContact"] = Who.Candidate,
        ["updateMyProfile"] = Who.Candidate,
        ["listMyCorrections"] = Who.Candidate,
        ["issueHandover"] = Who.Candidate,
        ["uploadMyPhoto"] = Who.Candidate,
        ["getMyPhoto"] = Who.Candidate,
        ["downloadMyDocument"] = Who.Candidate,
        ["getRegistration"] = Who.Anyone,
        ["listCorrections"] = Who.Anyone,
        ["correctRegistration"] = Who.Reviewers,
        ["getCandidateIdentity"] = Who.Reviewers,
        ["getCandidatePhoto"] = Who.Reviewers,
        ["listIdentityAccess"] = Who.Operator,
        ["searchByIdNumber"] = Who.Reviewers | Who.Operator,
        // Issue 18: candidate accounts. Sign-out is the candidate's own; the account log is for reviewers in scope;
        // the session check is for other services' credentials only (every person is refused).
        ["signOutEverywhere"] = Who.Candidate,
        ["changePassword"] = Who.Candidate,
        ["listAccountAudit"] = Who.Reviewers,
        ["checkCandidateSession"] = Who.Nobody,
        ["getReferenceData"] = Who.Anyone,
        ["putExamYear"] = Who.Operator,
        ["putExamArea"] = Who.Operator,
        ["putExamSite"] = Who.Operator,

        // MaterialStorage: the candidate's own application, reviewers in scope read it, operators load catalogs.
        ["getMaterialCatalog"] = Who.Anyone,
        ["getApplication"] = Who.Anyone,
        ["getImageContent"] = Who.Anyone,
        ["uploadImage"] = Who.Candidate,
        ["replaceImage"] = Who.Candidate,
        ["deleteImage"] = Who.Candidate,
        ["submitApplication"] = Who.Candidate,
        ["listCatalogs"] = Who.Operator,
        ["putCatalog"] = Who.Operator,
        ["getCatalog"] = Who.Operator,
        ["getAreaSettings"] = Who.Operator,
        ["putAreaSettings"] = Who.Operator,

        // ImageValidation.
        ["normaliseImage"] = Who.Candidate,

        // ReviewWorkflow: site and area reviewers in scope; rejection is the area's; metrics are the operators'.
        ["listReviewCases"] = Who.Reviewers,
        ["getReviewCase"] = Who.Reviewers,
        ["getReviewTimeline"] = Who.Reviewers,
        ["listReplacementReasons"] = Who.Reviewers,
        ["claimReviewCase"] = Who.Reviewers,
        ["renewReviewClaim"] = Who.Reviewers,
        ["releaseReviewClaim"] = Who.Reviewers,
        ["approveImage"] = Who.Reviewers,
        ["requestImageReplacement"] = Who.Reviewers,
        ["approveReviewCase"] = Who.Reviewers,
        ["approveAllInCase"] = Who.Reviewers,
        ["returnReviewCase"] = Who.Reviewers,
        ["resumeReviewCase"] = Who.Reviewers,
        ["rejectReviewCase"] = Who.AreaReviewer,
        ["bulkApproveReviewCases"] = Who.Reviewers,
        ["getReviewMetrics"] = Who.Operator,
        // Issue 18: result rounds are run by operators (or close at their end date).
        ["getResultRound"] = Who.Operator,
        ["scheduleResultRound"] = Who.Operator,
        ["publishResultRound"] = Who.Operator,
        // Reviewer console (issue 16): counts per stage and a return's preview in the caller's scope; trends for the area and operators.
        ["countReviewCasesByStage"] = Who.Reviewers,
        ["previewReturn"] = Who.Reviewers,
        ["getReviewTrends"] = Who.AreaReviewer | Who.Operator,
        ["previewSms"] = Who.Reviewers,

        // Notification: the candidate's message centre; SMS operations are the operators'.
        ["listMyMessages"] = Who.Candidate,
        ["pageMyMessages"] = Who.Candidate,
        ["getMyMessageSummary"] = Who.Candidate,
        ["markMessageRead"] = Who.Candidate,
        ["markAllMessagesRead"] = Who.Candidate,
        ["listSms"] = Who.Operator,
        ["listFailedSms"] = Who.Operator,
        ["getSms"] = Who.Operator,
        ["retrySms"] = Who.Operator,
        ["getSmsOpsStatus"] = Who.Operator,
        ["listSmsTemplates"] = Who.Operator,
        ["putSmsTemplate"] = Who.Operator,
        ["loadSmsTemplates"] = Who.Operator,
        ["listSmsSenders"] = Who.Operator,
        ["putSmsSender"] = Who.Operator,

        // Notification: provincial webhooks. A province registers and manages its own area's endpoints (another area's
        // answer 404); operators read every area's, pause one and replay deliveries, but register nothing themselves.
        ["listWebhookEventTypes"] = Who.Province | Who.Operator,
        ["createWebhookEndpoint"] = Who.Province,
        ["listWebhookEndpoints"] = Who.Province | Who.Operator,
        ["getWebhookEndpoint"] = Who.Province | Who.Operator,
        ["updateWebhookEndpoint"] = Who.Province | Who.Operator,
        ["deleteWebhookEndpoint"] = Who.Province,
        ["rotateWebhookSecret"] = Who.Province,
        ["listWebhookDeliveries"] = Who.Province | Who.Operator,
        ["replayFailedWebhookDeliveries"] = Who.Province | Who.Operator,
        ["getWebhookDelivery"] = Who.Province | Who.Operator,
        ["replayWebhookDelivery"] = Who.Province | Who.Operator,

        // Each service's outbox status, for operators.
        ["getRegistrationOutbox"] = Who.Operator,
        ["getMaterialStorageOutbox"] = Who.Operator,
        ["getValidationBacklog"] = Who.Operator,
        ["getReviewWorkflowOutbox"] = Who.Operator,
        ["getNotificationOutbox"] = Who.Operator,

        // The embedded host's SMS provider stub: its control endpoints are the operators'.
        ["getStubBehaviour"] = Who.Operator,
        ["putStubBehaviour"] = Who.Operator,
        ["listStubSms"] = Who.Operator,
    };

    /// <summary>
    /// Valid bodies for the scoped writes that check their body before looking the resource up: with an empty body
    /// they answer 400 whoever calls, which would say nothing about scope.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ScopeBodies = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["correctRegistration"] = """{"fullName":"张叁","reason":"核对身份证"}""",
        ["rejectReviewCase"] = """{"reason":"材料与报名信息不符"}""",
        ["resumeReviewCase"] = """{"reason":"经核对报名信息无误"}""",
        ["requestImageReplacement"] = """{"reasonCode":"unclear","note":"请重新拍摄"}""",
        ["correctProvincialRegistration"] = """{"fullName":"张叁","reason":"省级系统核对身份证"}""",
        ["decideProvincialReview"] = """{"decision":"approve"}""",
        ["previewReturn"] = """{"feedback":"请重新上传"}""",
    };
}
