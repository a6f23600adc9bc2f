using ExamReview.MaterialStorage.Extensions;
using ExamReview.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("MaterialStorage", new MaterialStorageModule());

var app = builder.Build();
app.MapServiceEndpoints();
app.Run();
