using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Data.Protection;

/// <summary>
/// Once per start, after the migrations (registered after the database): encrypts ID numbers stored before encryption
/// (<see cref="IdNumberBackfill"/>), then seals again what a retired key sealed and the correction history written
/// before encryption (<see cref="PersonalDataResealing"/>).
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
            var resealed = await PersonalDataResealing.RunAsync(services, PersonalDataResealing.DefaultBatchSize, stoppingToken);
            if (resealed.Registrations + resealed.Corrections > 0)
            {
                logger.LogInformation("Sealed {Registrations} registrations' ID numbers and {Corrections} correction records again under key {KeyId}",
                    resealed.Registrations, resealed.Corrections, services.GetRequiredService<IdNumberProtector>().CurrentKeyId);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is CryptographicException or System.Data.Common.DbException or DbUpdateException or InvalidOperationException)
        {
            // The service keeps serving (every key of the ring still opens what it sealed); the next start tries again.
            logger.LogError(ex, "Sealing personal data under the current key failed");
        }
    }
}
