using System.Globalization;

namespace ExamReview.IntegrationTests.Platform;

/// <summary>
/// Resident ID numbers (GB 11643-1999) for test candidates: a fresh, valid one per call, so every candidate has its own
/// (Registration allows one registration per number and exam year) and each passes the service's check-character and
/// birth-date rule. Linked into the unit tests, the deployment tests, the benchmarks and the load generator, which do
/// not reference Registration: the check character is computed here, and the unit tests hold it to the service's rule.
/// </summary>
public static class TestIdNumbers
{
    // Provinces of the seeded exam areas and of the password-activation test area.
    private static readonly string[] Provinces = ["11", "31", "37", "43", "44", "51"];
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";
    private static readonly DateOnly FirstBirthDate = new(1960, 1, 1);
    private const int BirthDays = 45 * 365;

    // Random numbers meet now and then over tens of thousands of candidates (a load run): never twice from one process.
    private static readonly HashSet<string> Issued = [];

    /// <summary>
    /// A valid number nobody in this process got before: <paramref name="province"/> (the test's exam area, when it is
    /// two digits as the seeded areas are; test areas with other codes get one) or one of a fixed list, four random digits of the county, a birth date between 1960 and 2004, a random
    /// sequence, and the check character.
    /// </summary>
    public static string New(string? province = null)
    {
        while (true)
        {
            var prefix = province is { Length: 2 } p && p.All(char.IsAsciiDigit) ? p : Provinces[Random.Shared.Next(Provinces.Length)];
            var born = FirstBirthDate.AddDays(Random.Shared.Next(BirthDays));
            var first17 = string.Create(CultureInfo.InvariantCulture,
                $"{prefix}{Random.Shared.Next(101, 10_000):D4}{born:yyyyMMdd}{Random.Shared.Next(1_000):D3}");
            var number = WithCheckCharacter(first17);
            lock (Issued)
            {
                if (Issued.Add(number))
                {
                    return number;
                }
            }
        }
    }

    /// <summary>The first 17 digits followed by their ISO 7064 MOD 11-2 check character (0–9 or X).</summary>
    public static string WithCheckCharacter(string first17)
    {
        if (first17.Length != 17)
        {
            throw new ArgumentException("17 digits are needed.", nameof(first17));
        }
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }
        return first17 + CheckCharacters[sum % 11];
    }
}
