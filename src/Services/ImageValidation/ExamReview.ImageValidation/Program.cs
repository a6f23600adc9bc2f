using ExamReview.ImageValidation.Extensions;
using ExamReview.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("ImageValidation", new ImageValidationModule());

var app = builder.Build();
app.MapServiceEndpoints();
app.Run();
