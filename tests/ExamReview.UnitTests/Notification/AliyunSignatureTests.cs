using ExamReview.Contracts;
using ExamReview.Notification.Domain;
using ExamReview.Notification.Sms;
using MassTransit;

namespace ExamReview.UnitTests.Notification;

public sealed class AliyunSignatureTests
{
    [Fact]
    public void The_signature_matches_the_providers_documented_example()
    {
        // Alibaba Cloud's RPC signature example (DescribeRegions, secret "testsecret").
        var parameters = new Dictionary<string, string>
        {
            ["AccessKeyId"] = "testid",
            ["Action"] = "DescribeRegions",
            ["Format"] = "XML",
            ["SignatureMethod"] = "HMAC-SHA1",
            ["SignatureNonce"] = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
            ["SignatureVersion"] = "1.0",
            ["Timestamp"] = "2016-02-23T12:46:24Z",
            ["Version"] = "2014-05-26",
        };
        Assert.Equal("OLeaidS1JvxuMvnyHOwuJ+uX5qY=", AliyunSmsProvider.Sign("GET", parameters, "testsecret"));
    }

    [Fact]
    public async Task Requests_signed_with_the_wrong_secret_are_refused_by_the_provider_and_the_sms_fails_visibly()
    {
        await using var rig = await SmsTestRig.StartAsync(new Dictionary<string, string?> { ["Sms:Provider:AccessKeySecret"] = "not-the-secret" });
        var candidateId = Guid.NewGuid();
        await rig.AddContactAsync(candidateId, "13912345678");

        await rig.PublishAsync(new ApplicationApproved(Guid.NewGuid(), Guid.NewGuid(), candidateId, "43"), NewId.NextGuid());
        await rig.RunUntilAsync(async () => (await rig.SmsForAsync(candidateId)).Single().Status == SmsStatus.Failed, "the SMS to fail");

        Assert.Contains("SignatureDoesNotMatch", (await rig.SmsForAsync(candidateId)).Single().Error, StringComparison.Ordinal);
        Assert.Empty(rig.Stub.Received);
        Assert.Equal(1, rig.FailedAlerts);
    }
}
