namespace ExamReview.ImageValidation.Domain;

/// <summary>The verdict on one uploaded image, kept for audit and for answering redeliveries identically.</summary>
public sealed class ValidationRecord
{
    public Guid ImageId { get; set; }
    public Guid CandidateId { get; set; }
    public required string MaterialType { get; set; }
    public required string Sha256 { get; set; }
    public bool Passed { get; set; }
    public required string FindingsJson { get; set; }
    public DateTimeOffset CheckedAt { get; set; }
}
