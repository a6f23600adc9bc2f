using ExamReview.ReviewWorkflow.Extensions;
using ExamReview.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("ReviewWorkflow", new ReviewWorkflowModule());

var app = builder.Build();
app.MapServiceEndpoints();
app.Run();
