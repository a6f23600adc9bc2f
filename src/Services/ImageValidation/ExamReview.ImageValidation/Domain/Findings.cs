using ExamReview.Contracts;
using ExamReview.ImageValidation.Processing;

namespace ExamReview.ImageValidation.Domain;

public static class Findings
{
    public static ValidationFinding ToContract(this Finding finding) =>
        new(finding.Code, finding.MessageZh, finding.MessageEn, finding.Threshold, finding.Measured);

    /// <summary>Findings that mean the bytes could not be decoded safely: nothing can be derived from them.</summary>
    public static bool IsUndecodable(this Finding finding) => finding.Code is
        FindingCodes.DocFormat or FindingCodes.DocUnreadable or FindingCodes.DocPolyglot or FindingCodes.DocTooManyPixels;
}
