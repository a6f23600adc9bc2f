using ExamReview.ServiceDefaults.Security;

namespace ExamReview.Registration.Data.Protection;

/// <summary>
/// Where the personal-data keys come from (<see cref="ProtectionKeyRing.Load"/>). Configured (production):
/// <c>Registration:IdNumber:Keys:&lt;id&gt;</c> (base64 256-bit keys), <c>Registration:IdNumber:CurrentKeyId</c> and
/// <c>Registration:IdNumber:IndexKey</c>. Not configured (development only): a key file beside the embedded run's
/// database, or keys derived from Auth:SigningKeys with a database server.
/// </summary>
public static class IdNumberKeys
{
    public const string Section = "Registration:IdNumber";
    private const string IndexKeyName = "IndexKey";

    public static IdNumberProtector Create(IServiceProvider services, string connectionName)
    {
        var ring = ProtectionKeyRing.Load(services,
            new ProtectionKeySource(Section, connectionName, "registration-idnumber-keys.json", "examreview/registration-idnumber")
            {
                NamedKeys = new Dictionary<string, string> { [IndexKeyName] = "index" },
                DerivedIdsByPosition = true, // stored values name auth0, auth1…
            });
        return new IdNumberProtector(ring.Keys, ring.CurrentKeyId, ring.Named(IndexKeyName));
    }
}
