using System.Text;

namespace ExamReview.ImageValidation.Tests.Scanning;

/// <summary>
/// The EICAR anti-virus test string, assembled at run time from two halves so the source file itself is not what a
/// scanner on a developer's machine flags.
/// </summary>
internal static class Eicar
{
    public static byte[] Bytes => Encoding.ASCII.GetBytes(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-" + "ANTIVIRUS-TEST-FILE!$H+H*");

    /// <summary>A real JPEG with the test string after its end marker: decodes fine, and must still be refused.</summary>
    public static byte[] AppendedTo(byte[] image) => [.. image, .. Bytes];
}
