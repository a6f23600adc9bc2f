namespace ExamReview.ImageValidation.Api;

/// <summary>
/// ImageValidation's routes share this prefix. Verdicts on document images are not served here: they travel to
/// MaterialStorage as MaterialValidated, which keeps them with the image (ImageValidation keeps no state).
/// </summary>
public static class ValidationApi
{
    public const string Prefix = "/api/v1/validation";
}
