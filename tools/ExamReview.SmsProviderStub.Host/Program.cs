using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Telemetry;
using ExamReview.SmsProviderStub;

// Alibaba Cloud SMS's API answered from memory, so a platform without a provider contract still sends SMS over the
// real signed HTTP path; operators read what "reached the provider" under /sms-stub/_stub (operator token).
var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformTelemetry("SmsProviderStub");
builder.AddPlatformAuth();
builder.Services.AddSmsProviderStub(new SmsProviderStubOptions
{
    AccessKeyId = builder.Configuration["Sms:Provider:AccessKeyId"],
    AccessKeySecret = builder.Configuration["Sms:Provider:AccessKeySecret"],
});
builder.Services.AddHealthChecks();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapHealthChecks(HealthPaths.Ready).AllowAnonymous();
app.MapHealthChecks(HealthPaths.Alive).AllowAnonymous();
app.MapSmsProviderStub(SmsProviderStubEndpoints.DefaultPrefix, Policies.Operator);
app.Run();
