using System.Security.Cryptography;
using ExamReview.Registration.Domain;

namespace ExamReview.UnitTests.Registration;

/// <summary>A plain Hunan registration with a fresh id and number, for the data-protection tests to store.</summary>
internal static class TestRegistrations
{
    public static CandidateRegistration New(string idNumber) => new()
    {
        Id = Guid.CreateVersion7(),
        CandidateId = Guid.NewGuid(),
        RegistrationNumber = $"202743{RandomNumberGenerator.GetInt32(0, 100_000_000):D8}",
        ExamYear = 2027,
        AreaCode = "43",
        SiteCode = "4301",
        ExamCategory = "practitioner-clinical",
        FullName = "张三",
        IdNumber = idNumber,
        MobileNumber = "13800000000",
    };
}
