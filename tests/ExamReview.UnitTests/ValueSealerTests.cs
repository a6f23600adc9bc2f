using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ExamReview.ServiceDefaults.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests;

/// <summary>The shared at-rest encryption: both forms round-trip, values bind to their purpose and key id, and the key ring loads from each of its sources.</summary>
public sealed class ValueSealerTests : IDisposable
{
    private static readonly byte[] Key1 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Key2 = RandomNumberGenerator.GetBytes(32);
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"sealer-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static ValueSealer Sealer(string current, string purpose = "test/", params (string Id, byte[] Key)[] keys) =>
        new(new ProtectionKeyRing(keys.ToDictionary(k => k.Id, k => k.Key), current), purpose);

    [Fact]
    public void Text_and_binary_forms_round_trip_and_name_their_key()
    {
        var sealer = Sealer("k1", "test/", ("k1", Key1));
        var text = sealer.Protect("张三 43010119900101123X");
        Assert.StartsWith("k1:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("4301", text, StringComparison.Ordinal);
        Assert.Equal("张三 43010119900101123X", sealer.Unprotect(text));
        Assert.NotEqual(text, sealer.Protect("张三 43010119900101123X")); // a fresh nonce each time

        var secret = RandomNumberGenerator.GetBytes(32);
        var sealedBytes = sealer.Seal(secret);
        Assert.Equal("k1", ValueSealer.SealedKeyId(sealedBytes));
        Assert.Equal(2 + 2 + 12 + 32 + 16, sealedBytes.Length);
        Assert.Equal(secret, sealer.Open(sealedBytes));
        Assert.Null(ValueSealer.SealedKeyId(secret.AsSpan(0, 20)));
    }

    [Fact]
    public void Text_without_a_key_id_was_written_before_encryption_and_passes_through() =>
        Assert.Equal("43010119900101123X", Sealer("k1", "test/", ("k1", Key1)).Unprotect("43010119900101123X"));

    [Fact]
    public void An_old_key_opens_what_it_sealed_until_it_is_removed()
    {
        var before = Sealer("k1", "test/", ("k1", Key1));
        var text = before.Protect("v");
        var bytes = before.Seal([1, 2, 3]);

        var rotated = Sealer("k2", "test/", ("k1", Key1), ("k2", Key2));
        Assert.Equal("v", rotated.Unprotect(text));
        Assert.Equal([1, 2, 3], rotated.Open(bytes));
        Assert.Equal("k2", ValueSealer.SealedKeyId(rotated.Seal([1])));

        var withoutOld = Sealer("k2", "test/", ("k2", Key2));
        Assert.Throws<CryptographicException>(() => withoutOld.Unprotect(text));
        Assert.Throws<CryptographicException>(() => withoutOld.Open(bytes));
    }

    [Fact]
    public void A_value_does_not_open_for_another_purpose_nor_relabelled_nor_altered()
    {
        var sealer = Sealer("k1", "registration/", ("k1", Key1), ("k2", Key1));
        var bytes = sealer.Seal([9, 9, 9]);
        Assert.ThrowsAny<CryptographicException>(() => Sealer("k1", "notification/", ("k1", Key1)).Open(bytes));

        // The same key under another id: the id is authenticated, so the relabelled value fails.
        var relabelled = sealer.Protect("v").Replace("k1:", "k2:", StringComparison.Ordinal);
        Assert.ThrowsAny<CryptographicException>(() => sealer.Unprotect(relabelled));

        var altered = (byte[])bytes.Clone();
        altered[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => sealer.Open(altered));
        Assert.Throws<CryptographicException>(() => sealer.Open([1, 2]));
        Assert.Throws<CryptographicException>(() => sealer.Unprotect(":abc"));
    }

    [Fact]
    public void A_ring_refuses_short_keys_bad_names_and_a_missing_current_key()
    {
        Assert.Throws<InvalidOperationException>(() => new ProtectionKeyRing(new Dictionary<string, byte[]> { ["k1"] = new byte[16] }, "k1"));
        Assert.Throws<InvalidOperationException>(() => new ProtectionKeyRing(new Dictionary<string, byte[]> { ["a:b"] = Key1 }, "a:b"));
        Assert.Throws<InvalidOperationException>(() => new ProtectionKeyRing(new Dictionary<string, byte[]> { ["k1"] = Key1 }, "k2"));
    }

    private static readonly ProtectionKeySource Source = new("Test:Secrets", "testdb", "test-keys.json", "examreview/test")
    {
        NamedKeys = new Dictionary<string, string> { ["IndexKey"] = "index" },
    };

    [Fact]
    public void Configured_keys_win_and_name_their_current_key()
    {
        var ring = ProtectionKeyRing.Load(Configuration(new()
        {
            ["Test:Secrets:Keys:2026"] = Convert.ToBase64String(Key1),
            ["Test:Secrets:Keys:2027"] = Convert.ToBase64String(Key2),
            ["Test:Secrets:CurrentKeyId"] = "2027",
            ["Test:Secrets:IndexKey"] = Convert.ToBase64String(Key1),
            ["ConnectionStrings:testdb"] = "Host=db",
        }), Source);
        Assert.Equal("2027", ring.CurrentKeyId);
        Assert.Equal(Key2, ring.Keys["2027"]);
        Assert.Equal(Key1, ring.Named("IndexKey"));

        Assert.Throws<InvalidOperationException>(() => ProtectionKeyRing.Load(Configuration(new()
        {
            ["Test:Secrets:Keys:2026"] = Convert.ToBase64String(Key1),
            ["Test:Secrets:Keys:2027"] = Convert.ToBase64String(Key2),
            ["Test:Secrets:IndexKey"] = Convert.ToBase64String(Key1),
        }), Source));
    }

    [Fact]
    public void A_deployment_moving_off_derived_keys_keeps_them_retired_until_its_data_is_sealed_again()
    {
        var signing = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var derived = ProtectionKeyRing.Load(Configuration(new() { ["ConnectionStrings:testdb"] = "Host=db", ["Auth:SigningKeys:0"] = signing }), Source);
        var sealedBefore = new ValueSealer(derived, "test/").Protect("43010119900101123X");
        var settings = new Dictionary<string, string?>
        {
            ["Test:Secrets:Keys:k1"] = Convert.ToBase64String(Key1),
            ["Test:Secrets:IndexKey"] = Convert.ToBase64String(Key2),
            ["Test:Secrets:KeepDerivedKeys"] = "true",
            ["Auth:SigningKeys:0"] = signing,
            ["ConnectionStrings:testdb"] = "Host=db",
        };

        var moving = ProtectionKeyRing.Load(Configuration(settings), Source);

        Assert.Equal(KeyRingOrigin.Configured, moving.Origin);
        Assert.Equal("k1", moving.CurrentKeyId);
        Assert.Equal(derived.Keys[derived.CurrentKeyId], moving.Keys[derived.CurrentKeyId]);
        Assert.Equal("43010119900101123X", new ValueSealer(moving, "test/").Unprotect(sealedBefore));
        Assert.StartsWith("k1:", new ValueSealer(moving, "test/").Protect("x"), StringComparison.Ordinal);
        Assert.Equal(Key2, moving.Named("IndexKey"));
        // Without the switch the configured ring is all there is.
        settings["Test:Secrets:KeepDerivedKeys"] = "false";
        Assert.Equal(["k1"], ProtectionKeyRing.Load(Configuration(settings), Source).Keys.Keys);
    }

    [Fact]
    public void The_embedded_run_keeps_one_key_file_in_its_data_directory()
    {
        var configuration = Configuration(new() { ["DataDirectory"] = _dataDirectory });
        var first = ProtectionKeyRing.Load(configuration, Source);
        var again = ProtectionKeyRing.Load(configuration, Source);
        Assert.Equal(first.Keys["dev1"], again.Keys["dev1"]);
        Assert.Equal(first.Named("IndexKey"), again.Named("IndexKey"));

        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(_dataDirectory, "test-keys.json")))!;
        Assert.Equal("dev1", file["CurrentKeyId"]!.GetValue<string>());
        Assert.NotNull(file["Keys"]!["dev1"]);
        Assert.NotNull(file["IndexKey"]);
    }

    [Fact]
    public void With_a_database_server_and_no_keys_development_derives_them_from_the_signing_keys()
    {
        var signing = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var configuration = Configuration(new() { ["ConnectionStrings:testdb"] = "Host=db", ["Auth:SigningKeys:0"] = signing });
        var ring = ProtectionKeyRing.Load(configuration, Source);
        Assert.Equal(KeyRingOrigin.DerivedFromSigningKeys, ring.Origin);
        Assert.StartsWith("auth-", ring.CurrentKeyId, StringComparison.Ordinal);
        var key = ring.Keys[ring.CurrentKeyId];
        Assert.Equal(key, ProtectionKeyRing.Load(configuration, Source).Keys[ring.CurrentKeyId]);
        Assert.NotEqual(key, ring.Named("IndexKey"));
        Assert.NotEqual(key, ProtectionKeyRing.Load(configuration, Source with { DerivationPurpose = "examreview/other" }).Keys.Values.Single());

        // A new signing key put first: the old derived key keeps its id, so what it sealed still opens and names it.
        var sealedBefore = new ValueSealer(ring, "test/").Seal([7, 7, 7]);
        var rotated = ProtectionKeyRing.Load(Configuration(new()
        {
            ["ConnectionStrings:testdb"] = "Host=db",
            ["Auth:SigningKeys:0"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Auth:SigningKeys:1"] = signing,
        }), Source);
        Assert.NotEqual(ring.CurrentKeyId, rotated.CurrentKeyId);
        Assert.Equal([7, 7, 7], new ValueSealer(rotated, "test/").Open(sealedBefore));

        // Registration's ids stay by position: its stored values name auth0.
        Assert.Equal("auth0", ProtectionKeyRing.Load(configuration, Source with { DerivedIdsByPosition = true }).CurrentKeyId);

        Assert.Throws<InvalidOperationException>(() => ProtectionKeyRing.Load(Configuration(new() { ["ConnectionStrings:testdb"] = "Host=db" }), Source));
    }

    [Fact]
    public void A_value_and_a_key_file_written_before_the_shared_sealer_still_read()
    {
        // The stored form before: "<key id>:" + base64url(nonce | ciphertext | tag), AES-256-GCM, AAD "examreview/registration-pii/<key id>".
        var key = RandomNumberGenerator.GetBytes(32);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plain = "43010119900101123X"u8.ToArray();
        var sealedBytes = new byte[12 + plain.Length + 16];
        nonce.CopyTo(sealedBytes, 0);
        using (var aes = new AesGcm(key, 16))
        {
            aes.Encrypt(nonce, plain, sealedBytes.AsSpan(12, plain.Length), sealedBytes.AsSpan(12 + plain.Length), "examreview/registration-pii/dev1"u8);
        }
        var stored = "dev1:" + System.Buffers.Text.Base64Url.EncodeToString(sealedBytes);

        // The embedded run's key file as the old record wrote it.
        Directory.CreateDirectory(_dataDirectory);
        File.WriteAllText(Path.Combine(_dataDirectory, "registration-idnumber-keys.json"),
            $$"""{"CurrentKeyId":"dev1","Keys":{"dev1":"{{Convert.ToBase64String(key)}}"},"IndexKey":"{{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}}"}""");
        using var services = new ServiceCollection()
            .AddSingleton(Configuration(new() { ["DataDirectory"] = _dataDirectory }))
            .AddLogging()
            .BuildServiceProvider();
        var protector = ExamReview.Registration.Data.Protection.IdNumberKeys.Create(services, "registrationdb");
        Assert.Equal("43010119900101123X", protector.Unprotect(stored));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
