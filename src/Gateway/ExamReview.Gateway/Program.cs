using ExamReview.ConsoleHosting;
using ExamReview.Gateway;
using ExamReview.ServiceDefaults.Problems;
using ExamReview.ServiceDefaults.Security;
using ExamReview.ServiceDefaults.Telemetry;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformTelemetry("ExamReview.Gateway");
builder.AddPlatformSecurity();
builder.Services.AddServiceDiscovery();
builder.Services.AddReverseProxy()
    .LoadFromMemory(GatewayRoutes.Routes(), GatewayRoutes.Clusters())
    .AddServiceDiscoveryDestinationResolver();
builder.Services.AddHealthChecks();
// What the gateway answers itself (no route: /api/v1/nope, a path outside /console/) is a problem like every
// service's, Chinese first with a stable code, never the console's page.
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c => ProblemLocalisation.Apply(c.HttpContext, c.ProblemDetails));
var consoleRoot = ReviewerConsole.FindRoot(builder.Configuration);
if (consoleRoot is not null)
{
    builder.Services.AddReviewerConsole(consoleRoot);
}

var app = builder.Build();
if (consoleRoot is null)
{
    app.Logger.LogWarning("No reviewer console build found (Console:Root or console/dist): /console/ is not served.");
}
app.UseReviewerConsole();
// Everything else the gateway answers itself (404, 502) gets the platform's allow-nothing headers; proxied answers
// keep the services' own.
app.UsePlatformSecurity();
// Only empty answers get a problem body: proxied answers carry the services' own (their problems included).
app.UseStatusCodePages();
app.UseRequestSizeLimits();
app.MapHealthChecks(HealthPaths.Alive);
app.MapHealthChecks(HealthPaths.Ready);
app.MapReverseProxy();
app.Run();
