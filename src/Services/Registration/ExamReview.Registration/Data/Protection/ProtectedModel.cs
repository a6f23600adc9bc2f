using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ExamReview.Registration.Data.Protection;

/// <summary>Encrypts a string column with the host's <see cref="IdNumberProtector"/> on write and decrypts it on read.</summary>
internal sealed class ProtectedStringConverter(IdNumberProtector? protector)
    : ValueConverter<string, string>(v => Required(protector).Protect(v), v => Required(protector).Unprotect(v))
{
    // A context built without the host (dotnet ef, the schema test) only migrates: it has no keys and must not need them.
    private static IdNumberProtector Required(IdNumberProtector? protector) =>
        protector ?? throw new InvalidOperationException("This RegistrationDbContext was created without the host's IdNumberProtector: it cannot read or write personal data.");
}

/// <summary>
/// The model embeds the converter and so the host's keys: one cached model per key ring, or two hosts in one process
/// (the tests) would share the first host's keys.
/// </summary>
internal sealed class ProtectedModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        (context.GetType(), (context as RegistrationDbContext)?.Protector, designTime);
}
