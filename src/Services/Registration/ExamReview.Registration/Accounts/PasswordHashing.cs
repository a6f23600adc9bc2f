using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace ExamReview.Registration.Accounts;

/// <summary>Argon2id cost parameters (OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane). Configuration: <c>Accounts:PasswordHash</c>.</summary>
public sealed class PasswordHashOptions
{
    public int MemoryKiB { get; set; } = 19 * 1024;
    public int Iterations { get; set; } = 2;
    public int Parallelism { get; set; } = 1;
}

public enum PasswordCheck
{
    Wrong = 0,
    Correct = 1,
    /// <summary>Correct, but hashed with weaker parameters than today's: store a new hash.</summary>
    CorrectNeedsRehash = 2,
}

/// <summary>
/// Candidate passwords at rest: Argon2id (memory-hard, the PHC winner) in the PHC string format,
/// <c>$argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;</c>. The parameters travel with each hash, so raising them
/// in configuration applies to new hashes at once and to old ones at their next successful sign-in (rehash), while
/// every stored hash keeps verifying. The password itself is never stored, logged or put in a message.
/// </summary>
public sealed class PasswordHasher(PasswordHashOptions options)
{
    private const string Prefix = "$argon2id$v=19$";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private string? _decoyHash;

    /// <summary>
    /// A real hash, at today's cost, of a random password nobody knows: an ID number without an account is checked
    /// against it, so it costs what a wrong password costs (no timing oracle). Computed once; a racing first use
    /// computes two equally good ones.
    /// </summary>
    public string DecoyHash => _decoyHash ??= Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, options.MemoryKiB, options.Iterations, options.Parallelism, HashBytes);
        return $"{Prefix}m={options.MemoryKiB},t={options.Iterations},p={options.Parallelism}${Convert.ToBase64String(salt).TrimEnd('=')}${Convert.ToBase64String(hash).TrimEnd('=')}";
    }

    public PasswordCheck Verify(string password, string stored)
    {
        // Argon2 refuses an empty password; none is ever stored, so an empty one is simply wrong.
        if (string.IsNullOrEmpty(password) || !TryParse(stored, out var memory, out var iterations, out var parallelism, out var salt, out var expected))
        {
            return PasswordCheck.Wrong;
        }
        var actual = Derive(password, salt, memory, iterations, parallelism, expected.Length);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            return PasswordCheck.Wrong;
        }
        return memory < options.MemoryKiB || iterations < options.Iterations || parallelism < options.Parallelism
            ? PasswordCheck.CorrectNeedsRehash
            : PasswordCheck.Correct;
    }

    private static byte[] Derive(string password, byte[] salt, int memoryKiB, int iterations, int parallelism, int length)
    {
        using var argon = new Argon2id(Encoding.UTF8.GetBytes(password))
        {
            Salt = salt,
            MemorySize = memoryKiB,
            Iterations = iterations,
            DegreeOfParallelism = parallelism,
        };
        return argon.GetBytes(length);
    }

    private static bool TryParse(string stored, out int memory, out int iterations, out int parallelism, out byte[] salt, out byte[] hash)
    {
        memory = iterations = parallelism = 0;
        salt = hash = [];
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var parts = stored[Prefix.Length..].Split('$');
        if (parts.Length != 3)
        {
            return false;
        }
        foreach (var pair in parts[0].Split(','))
        {
            var kv = pair.Split('=');
            if (kv.Length != 2 || !int.TryParse(kv[1], out var value) || value <= 0)
            {
                return false;
            }
            switch (kv[0])
            {
                case "m": memory = value; break;
                case "t": iterations = value; break;
                case "p": parallelism = value; break;
                default: return false;
            }
        }
        try
        {
            salt = Convert.FromBase64String(Pad(parts[1]));
            hash = Convert.FromBase64String(Pad(parts[2]));
        }
        catch (FormatException)
        {
            return false;
        }
        return memory > 0 && iterations > 0 && parallelism > 0 && salt.Length >= 8 && hash.Length >= 16;
    }

    private static string Pad(string base64) => base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
}
