namespace ExamReview.Registration.Data.Protection;

/// <summary>
/// Once per start, after the migrations (registered after the database): encrypts ID numbers stored before encryption
/// (<see cref="IdNumberBackfill"/>), then seals again what a retired key sealed and the correction history written
/// before encryption (<see cref="PersonalDataResealing"/>), and tells operators which retired keys may now leave the ring.
/// </summary>
public sealed class PersonalDataSealingService(IServiceProvider services, ILogger<PersonalDataSealingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var encrypted = await IdNumberBackfill.RunAsync(services, IdNumberBackfill.DefaultBatchSize, stoppingToken);
            if (encrypted > 0)
            {
                logger.LogInformation("Encrypted the ID numbers of {Count} registrations written before encryption", encrypted);
            }
            Report(await PersonalDataResealing.RunAsync(services, PersonalDataResealing.DefaultBatchSize, stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // A best-effort start-up job: whatever fails, the service keeps serving (every key of the ring still opens
            // what it sealed) and the next start tries again; stopping the host would turn one bad row into an outage.
            logger.LogError(ex, "Sealing personal data under the current key failed");
        }
    }

    private void Report(PersonalDataResealing.Outcome outcome)
    {
        var currentKeyId = services.GetRequiredService<IdNumberProtector>().CurrentKeyId;
        if (outcome.SealedAgain > 0)
        {
            logger.LogInformation("Sealed {Registrations} registrations' ID numbers and {Corrections} correction records again under key {KeyId}",
                outcome.Registrations, outcome.Corrections, currentKeyId);
        }
        if (outcome.Unopenable > 0)
        {
            logger.LogError("{Count} rows hold a value under a retired key that does not open (wrong key bytes configured, or a damaged value): left as they are",
                outcome.Unopenable);
        }
        foreach (var (keyId, rows) in outcome.StillSealedUnder)
        {
            if (rows > 0)
            {
                logger.LogWarning("Retired key {KeyId} still seals values in {Rows} rows: keep it in {Section}:Keys", keyId, rows, IdNumberKeys.Section);
            }
            else
            {
                logger.LogInformation("Retired key {KeyId} seals nothing any more: it can be removed from {Section}:Keys", keyId, IdNumberKeys.Section);
            }
        }
    }
}
