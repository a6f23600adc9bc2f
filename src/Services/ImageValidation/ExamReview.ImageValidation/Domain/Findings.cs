using ExamReview.Contracts;
using ExamReview.ImageValidation.Processing;

namespace ExamReview.ImageValidation.Domain;

public static class Findings
{
    /// <summary>The virus scanner matched a signature: the file is never decoded nor shown to anyone.</summary>
    public const string MalwareDetectedCode = ValidationFindingCodes.MalwareDetected;

    public static ValidationFinding ToContract(this Finding finding) =>
        new(finding.Code, finding.MessageZh, finding.MessageEn, finding.Threshold, finding.Measured);

    /// <summary>The signature name goes to the candidate as the measurement: it tells them which file to clean.</summary>
    public static Finding MalwareDetected(string? signature) => new(
        MalwareDetectedCode,
        "文件被病毒扫描判定为恶意文件，已拒收。请用杀毒软件检查设备后重新拍摄或扫描上传。",
        "The virus scanner flagged this file as malicious; it was rejected. Check your device and upload a fresh photo or scan.",
        Threshold: null,
        Measured: signature);

    /// <summary>Findings that mean the bytes could not be decoded safely: nothing can be derived from them.</summary>
    public static bool IsUndecodable(this Finding finding) => finding.Code is
        FindingCodes.DocFormat or FindingCodes.DocUnreadable or FindingCodes.DocPolyglot or FindingCodes.DocTooManyPixels;
}
