using ExamReview.Notification.Extensions;
using ExamReview.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("Notification", new NotificationModule());

var app = builder.Build();
app.MapServiceEndpoints();
app.Run();
