using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExamReview.ServiceDefaults.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExamReview.ServiceDefaults.Security;

/// <summary>
/// The keys that encrypt one kind of data at rest: named 256-bit keys (one of them current) and, where the data needs
/// them, further single keys by name (a blind index's HMAC key). Loaded with <see cref="Load"/>.
/// </summary>
public sealed class ProtectionKeyRing
{
    private readonly IReadOnlyDictionary<string, byte[]> _named;

    public ProtectionKeyRing(IReadOnlyDictionary<string, byte[]> keys, string currentKeyId, IReadOnlyDictionary<string, byte[]>? named = null,
        KeyRingOrigin origin = KeyRingOrigin.Configured)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var (id, key) in keys)
        {
            if (id.Length == 0 || id.Contains(':', StringComparison.Ordinal) || key.Length != 32)
            {
                throw new InvalidOperationException($"Key '{id}' must have a name without ':' and be 32 bytes (base64 of a 256-bit key).");
            }
        }
        if (!keys.ContainsKey(currentKeyId))
        {
            throw new InvalidOperationException($"The current key '{currentKeyId}' is not among the configured keys.");
        }
        Keys = keys;
        CurrentKeyId = currentKeyId;
        _named = named ?? new Dictionary<string, byte[]>();
        Origin = origin;
    }

    public KeyRingOrigin Origin { get; }

    public IReadOnlyDictionary<string, byte[]> Keys { get; }

    public string CurrentKeyId { get; }

    /// <summary>A single key by name (see <see cref="ProtectionKeySource.NamedKeys"/>).</summary>
    public byte[] Named(string name) =>
        _named.TryGetValue(name, out var key) ? key : throw new InvalidOperationException($"The key ring has no key named '{name}'.");

    /// <summary>
    /// Where the keys come from. Configured (production): <c>&lt;Section&gt;:Keys:&lt;id&gt;</c> (base64 256-bit keys),
    /// <c>&lt;Section&gt;:CurrentKeyId</c> (may be left out with one key) and each named key at
    /// <c>&lt;Section&gt;:&lt;name&gt;</c>. Not configured (development only): the embedded run (no connection string: the
    /// database is a file in the data directory) generates a ring once and keeps it in a file beside its database,
    /// because its signing key is new every run while the data outlives it; a run with a database server derives the
    /// keys (HKDF, the source's own purposes) from <c>Auth:SigningKeys</c>, the way the notice seal does.
    /// </summary>
    /// <summary>
    /// <see cref="Load(IConfiguration, ProtectionKeySource)"/> for a host: outside Development, a ring derived from the
    /// signing keys is allowed but warned about at start-up, because every service holding the token key could then
    /// open the data (docker-compose.yml requires configured keys; <c>KeepDerivedKeys</c> moves a deployment off them).
    /// </summary>
    public static ProtectionKeyRing Load(IServiceProvider services, ProtectionKeySource source)
    {
        ArgumentNullException.ThrowIfNull(services);
        var ring = Load(services.GetRequiredService<IConfiguration>(), source);
        if (ring.Origin == KeyRingOrigin.DerivedFromSigningKeys && services.GetService<IHostEnvironment>() is { } environment && !environment.IsDevelopment())
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger<ProtectionKeyRing>().LogWarning(
                "{Section}:Keys is not configured: the keys are derived from Auth:SigningKeys, which every service holds. Configure {Section}:Keys and {Section}:CurrentKeyId in production",
                source.Section, source.Section, source.Section);
        }
        return ring;
    }

    public static ProtectionKeyRing Load(IConfiguration configuration, ProtectionKeySource source)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(source);
        var section = configuration.GetSection(source.Section);
        var configured = section.GetSection("Keys").GetChildren().ToDictionary(k => k.Key, k => Convert.FromBase64String(k.Value ?? ""), StringComparer.Ordinal);
        if (configured.Count > 0)
        {
            var current = section["CurrentKeyId"] ?? (configured.Count == 1 ? configured.Keys.Single() : null)
                ?? throw new InvalidOperationException($"{source.Section}:CurrentKeyId is required when several keys are configured.");
            var named = source.NamedKeys.Keys.ToDictionary(name => name,
                name => Convert.FromBase64String(section[name] ?? throw new InvalidOperationException($"{source.Section}:{name} is required beside {source.Section}:Keys.")),
                StringComparer.Ordinal);
            if (section.GetValue<bool>("KeepDerivedKeys"))
            {
                // Moving a deployment that ran on derived keys onto configured ones: the derived keys stay in the ring,
                // retired, so what they sealed still opens until the start-up re-seal has moved it to the current key.
                foreach (var (id, key) in Derived(configuration, source).Keys)
                {
                    configured.TryAdd(id, key);
                }
            }
            return new ProtectionKeyRing(configured, current, named);
        }
        if (string.IsNullOrWhiteSpace(configuration.GetConnectionString(source.ConnectionName)))
        {
            return FromKeyFile(Path.Combine(Path.GetFullPath(configuration["DataDirectory"] ?? ".data"), source.KeyFileName), source);
        }
        var (keys, derivedNamed) = Derived(configuration, source);
        return new ProtectionKeyRing(keys.DistinctBy(k => k.Id).ToDictionary(k => k.Id, k => k.Key, StringComparer.Ordinal), keys[0].Id,
            derivedNamed, KeyRingOrigin.DerivedFromSigningKeys);
    }

    private static (List<(string Id, byte[] Key)> Keys, Dictionary<string, byte[]> Named) Derived(IConfiguration configuration, ProtectionKeySource source)
    {
        var signing = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>()?.SigningKeys ?? [];
        if (signing.Count == 0)
        {
            throw new InvalidOperationException($"Encrypted data needs {source.Section}:Keys (or, in development, Auth:SigningKeys to derive them from).");
        }
        // Ids by position (auth0, auth1…) would name another key once a new signing key is put first; ids by
        // fingerprint follow their key. Registration keeps positions: its stored values name them.
        var derived = signing.Select((k, i) =>
            {
                var key = Derive(k, source.DerivationPurpose);
                return (Id: source.DerivedIdsByPosition ? $"auth{i}" : "auth-" + Convert.ToHexStringLower(SHA256.HashData(key))[..12], Key: key);
            })
            .ToList();
        var named = source.NamedKeys.ToDictionary(n => n.Key, n => Derive(signing[0], $"{source.DerivationPurpose}-{n.Value}"), StringComparer.Ordinal);
        return (derived, named);
    }

    private static byte[] Derive(string base64Key, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Convert.FromBase64String(base64Key), 32, salt: [], info: Encoding.UTF8.GetBytes(purpose));

    // {"CurrentKeyId":"dev1","Keys":{"dev1":"<base64>"},"<named key>":"<base64>",...}
    private static ProtectionKeyRing FromKeyFile(string path, ProtectionKeySource source)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var fresh = new JsonObject
            {
                [nameof(CurrentKeyId)] = "dev1",
                [nameof(Keys)] = new JsonObject { ["dev1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) },
            };
            foreach (var name in source.NamedKeys.Keys)
            {
                fresh[name] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            }
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
        var file = JsonNode.Parse(File.ReadAllText(path))?.AsObject()
            ?? throw new InvalidOperationException($"The development key file {path} is empty.");
        string Read(JsonNode? node, string what) => node?.GetValue<string>() ?? throw new InvalidOperationException($"The development key file {path} has no {what}.");
        var keys = (file[nameof(Keys)]?.AsObject() ?? throw new InvalidOperationException($"The development key file {path} has no {nameof(Keys)}."))
            .ToDictionary(k => k.Key, k => Convert.FromBase64String(Read(k.Value, k.Key)), StringComparer.Ordinal);
        var named = source.NamedKeys.Keys.ToDictionary(name => name, name => Convert.FromBase64String(Read(file[name], name)), StringComparer.Ordinal);
        return new ProtectionKeyRing(keys, Read(file[nameof(CurrentKeyId)], nameof(CurrentKeyId)), named, KeyRingOrigin.KeyFile);
    }
}

/// <summary>Where a <see cref="ProtectionKeyRing"/> came from.</summary>
public enum KeyRingOrigin
{
    Configured,

    /// <summary>Generated once beside the embedded run's database (development).</summary>
    KeyFile,

    /// <summary>Derived from Auth:SigningKeys (development with a database server).</summary>
    DerivedFromSigningKeys,
}

/// <summary>Where <see cref="ProtectionKeyRing.Load"/> looks for one kind of data's keys.</summary>
/// <param name="Section">The configuration section (<c>Registration:IdNumber</c>).</param>
/// <param name="ConnectionName">The service's connection string name; without one the run is embedded and keeps a key file.</param>
/// <param name="KeyFileName">The embedded run's key file, in the data directory.</param>
/// <param name="DerivationPurpose">The HKDF purpose when derived from the signing keys (development with a database server).</param>
public sealed record ProtectionKeySource(string Section, string ConnectionName, string KeyFileName, string DerivationPurpose)
{
    /// <summary>Single keys beside the ring, by name, each with the suffix its derivation purpose gets.</summary>
    public IReadOnlyDictionary<string, string> NamedKeys { get; init; } = new Dictionary<string, string>();

    /// <summary>Derived key ids are <c>auth0</c>, <c>auth1</c>… by position (what Registration's stored values name) rather than by fingerprint.</summary>
    public bool DerivedIdsByPosition { get; init; }
}
