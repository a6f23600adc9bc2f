using System.Net.Http.Headers;
using System.Text.Json;
using ExamReview.Contracts;
using ExamReview.ImageValidation.Data;
using ExamReview.ImageValidation.Domain;
using ExamReview.ImageValidation.Processing;
using ExamReview.ServiceDefaults.Hosting;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ImageValidation.Consumers;

/// <summary>
/// Checks every uploaded image, hands MaterialStorage the watermarked copy reviewers will see, and publishes
/// the verdict. The original is read through MaterialStorage, which owns it; a redelivery answers from the
/// stored record instead of checking again.
/// </summary>
public sealed class MaterialUploadedConsumer(
    ImageValidationDbContext db,
    OutboxSignal signal,
    ServiceClients clients,
    DocumentPipeline pipeline,
    TimeProvider clock,
    ILogger<MaterialUploadedConsumer> logger)
    : InboxConsumer<MaterialUploaded, ImageValidationDbContext>(db, signal, logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private List<ValidationFinding>? _findings;

    /// <summary>
    /// Fetches, checks and watermarks the image before any transaction opens (this is nearly all of the time);
    /// storing the reviewer copy is an idempotent overwrite, so a retry may simply do it again.
    /// </summary>
    protected override async Task<bool> PrepareAsync(MaterialUploaded message, Guid messageId, CancellationToken cancellationToken)
    {
        if (await Db.ValidationRecords.AnyAsync(r => r.ImageId == message.ImageId, cancellationToken))
        {
            return false; // judged already (another message about the same upload): the verdict went out then
        }

        using var client = clients.Create("materialstorage", "imagevalidation");
        using var response = await client.GetAsync($"/api/v1/materials/internal/images/{message.ImageId}/original", cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false; // the candidate deleted the image before it was checked: nothing to report
        }
        response.EnsureSuccessStatusCode();
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!string.Equals(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), message.Sha256, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Image {message.ImageId} does not match its recorded hash.");
        }

        // One decode serves both the checks and the reviewer copy (see the Processing README's performance notes).
        var result = pipeline.Process(content, message.RegistrationNumber);
        _findings = result.Inspection.Findings.Select(f => f.ToContract()).ToList();
        if (result.WatermarkedJpeg is { } watermarked)
        {
            // Reviewers only ever see this copy; writing it again on a retry just overwrites it.
            using var body = new ByteArrayContent(watermarked);
            body.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            using var stored = await client.PutAsync($"/api/v1/materials/internal/images/{message.ImageId}/watermarked", body, cancellationToken);
            if (stored.StatusCode != System.Net.HttpStatusCode.NotFound)
            {
                stored.EnsureSuccessStatusCode();
            }
        }
        return true;
    }

    protected override async Task HandleAsync(MaterialUploaded message, Guid messageId, CancellationToken cancellationToken)
    {
        var findings = _findings ?? throw new InvalidOperationException("HandleAsync ran without PrepareAsync.");
        if (await Db.ValidationRecords.AnyAsync(r => r.ImageId == message.ImageId, cancellationToken))
        {
            return; // another message about the same upload recorded its verdict while this one prepared
        }

        Db.ValidationRecords.Add(new ValidationRecord
        {
            ImageId = message.ImageId,
            CandidateId = message.CandidateId,
            MaterialType = message.MaterialType,
            Sha256 = message.Sha256,
            Passed = findings.Count == 0,
            FindingsJson = JsonSerializer.Serialize(findings, Json),
            CheckedAt = clock.GetUtcNow(),
        });
        Db.Publish(new MaterialValidated(message.ImageId, message.CandidateId, findings.Count == 0, findings));
    }
}
