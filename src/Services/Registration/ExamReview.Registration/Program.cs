using ExamReview.Registration.Extensions;
using ExamReview.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("Registration", new RegistrationModule());

var app = builder.Build();
app.MapServiceEndpoints();
app.Run();
