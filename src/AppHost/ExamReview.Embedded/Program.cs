using ExamReview.Embedded;

await EmbeddedHost.RunAsync(args);
