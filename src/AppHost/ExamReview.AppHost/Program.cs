using ExamReview.AppHost;

return await PlatformHost.RunAsync(args);
