using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExamReview.ServiceDefaults.Auth;

namespace ExamReview.Registration.Data.Protection;

/// <summary>
/// Where the personal-data keys come from. Configured (production):
/// <c>Registration:IdNumber:Keys:&lt;id&gt;</c> (base64 256-bit keys), <c>Registration:IdNumber:CurrentKeyId</c> and
/// <c>Registration:IdNumber:IndexKey</c>. Not configured (development only): the embedded run (database in the data
/// directory) generates a key ring once and keeps it beside its database, because its signing key is new every run and
/// the data outlives it; a run with a database server derives the keys (HKDF, own purposes) from Auth:SigningKeys, the
/// way the notice seal does.
/// </summary>
public static class IdNumberKeys
{
    public const string Section = "Registration:IdNumber";
    private const string KeyFileName = "registration-idnumber-keys.json";

    public static IdNumberProtector Create(IConfiguration configuration, string connectionName)
    {
        var section = configuration.GetSection(Section);
        var configured = section.GetSection("Keys").GetChildren().ToDictionary(k => k.Key, k => Convert.FromBase64String(k.Value ?? ""), StringComparer.Ordinal);
        if (configured.Count > 0)
        {
            var current = section["CurrentKeyId"] ?? (configured.Count == 1 ? configured.Keys.Single() : null)
                ?? throw new InvalidOperationException($"{Section}:CurrentKeyId is required when several keys are configured.");
            var index = section["IndexKey"] ?? throw new InvalidOperationException($"{Section}:IndexKey is required beside {Section}:Keys.");
            return new IdNumberProtector(configured, current, Convert.FromBase64String(index));
        }
        if (string.IsNullOrWhiteSpace(configuration.GetConnectionString(connectionName)))
        {
            return FromKeyFile(Path.Combine(Path.GetFullPath(configuration["DataDirectory"] ?? ".data"), KeyFileName));
        }
        var signing = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>()?.SigningKeys ?? [];
        if (signing.Count == 0)
        {
            throw new InvalidOperationException($"Personal data needs {Section}:Keys and {Section}:IndexKey (or, in development, Auth:SigningKeys to derive them from).");
        }
        var derived = signing.Select((k, i) => (Id: $"auth{i}", Key: Derive(k, "examreview/registration-idnumber"))).ToDictionary(k => k.Id, k => k.Key, StringComparer.Ordinal);
        return new IdNumberProtector(derived, "auth0", Derive(signing[0], "examreview/registration-idnumber-index"));
    }

    private static byte[] Derive(string base64Key, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Convert.FromBase64String(base64Key), 32, salt: [], info: Encoding.UTF8.GetBytes(purpose));

    private static IdNumberProtector FromKeyFile(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var fresh = new KeyFile("dev1", new Dictionary<string, string> { ["dev1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) },
                Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                JsonSerializer.Serialize(stream, fresh);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process of the same run wrote it first: use theirs.
            }
        }
        var file = JsonSerializer.Deserialize<KeyFile>(File.ReadAllText(path))
            ?? throw new InvalidOperationException($"The development key file {path} is empty.");
        return new IdNumberProtector(file.Keys.ToDictionary(k => k.Key, k => Convert.FromBase64String(k.Value), StringComparer.Ordinal),
            file.CurrentKeyId, Convert.FromBase64String(file.IndexKey));
    }

    private sealed record KeyFile(string CurrentKeyId, Dictionary<string, string> Keys, string IndexKey);
}
