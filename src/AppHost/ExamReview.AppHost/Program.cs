using ExamReview.AppHost;

var builder = DistributedApplication.CreateBuilder(Dashboard.Options(args));
builder.AddExamReviewPlatform();
await builder.Build().RunAsync();
