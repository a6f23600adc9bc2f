using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ExamReview.Benchmarks;
using ExamReview.Imaging;

// Document pipeline throughput next to the libvips floor (decode + encode of the same files), one core.
//   dotnet run -c Release -m:1 --project tests/ExamReview.Benchmarks            full run
//   dotnet run -c Release -m:1 --project tests/ExamReview.Benchmarks -- --quick  fewer iterations
if (args is ["--peak-child", var childScenario, var childCorpus])
{
    return PeakMemory.Child(childScenario, childCorpus);
}

var quick = args.Contains("--quick");
VipsRuntime.Initialise(new VipsRuntimeOptions { Concurrency = 1 });
var corpus = Corpus.Documents;
Console.WriteLine($"libvips {VipsRuntime.Version}; corpus: {corpus.Length} JPEGs, " +
    $"{corpus.Average(d => d.Length) / 1024:F0} KB average, {Corpus.Describe()}");

var job = Job.Default
    .WithToolchain(InProcessEmitToolchain.Instance) // no child build: the repo's warnings-as-errors props stay out of it
    .WithWarmupCount(quick ? 2 : 4)
    .WithIterationCount(quick ? 6 : 15)
    .WithId(quick ? "quick" : "default");
var config = ManualConfig.CreateEmpty()
    .AddJob(job)
    .AddColumnProvider(DefaultColumnProviders.Instance)
    .AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithOptions(ConfigOptions.DisableOptimizationsValidator)
    .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts")); // under bin/, not the repo root
var summary = BenchmarkRunner.Run<DocumentThroughput>(config);

Console.WriteLine();
Console.WriteLine("Per-core throughput (libvips concurrency 1, one calling thread):");
double? floor = Mean(summary, nameof(DocumentThroughput.Floor_DecodeEncode));
foreach (var name in new[] { nameof(DocumentThroughput.Floor_DecodeEncode), nameof(DocumentThroughput.Check), nameof(DocumentThroughput.Watermark), nameof(DocumentThroughput.Check_Watermark_Save) })
{
    if (Mean(summary, name) is { } ns)
    {
        var ratio = floor is { } f ? ns / f : double.NaN;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-22} {ns / 1e6,8:F2} ms/doc  {1e9 / ns,7:F1} docs/s/core  {ratio,5:F2}x floor"));
    }
}

Console.WriteLine();
Console.WriteLine("Peak memory per image (fresh child process per scenario; JIT, fonts and libvips warmed on a tiny image first):");
var corpusDir = Directory.CreateTempSubdirectory("examreview-bench-");
try
{
    for (var i = 0; i < corpus.Length; i++)
    {
        File.WriteAllBytes(Path.Combine(corpusDir.FullName, $"{i}.jpg"), corpus[i]);
    }

    foreach (var scenario in new[] { "floor", "pipeline" })
    {
        Console.WriteLine($"  {(scenario == "floor" ? "Floor_DecodeEncode" : "Check_Watermark_Save"),-22} {PeakMemory.RunChild(scenario, corpusDir.FullName)}");
    }
}
finally
{
    corpusDir.Delete(recursive: true);
}

var pipeline = new DocumentThroughput();
pipeline.Setup();

Console.WriteLine();
Console.WriteLine($"Both cores, {Environment.ProcessorCount} threads in parallel (Stopwatch):");
foreach (var (name, action) in new (string, Action<byte[]>)[] { ("Floor_DecodeEncode", d => pipeline.FloorOf(d)), ("Check_Watermark_Save", d => pipeline.PipelineOf(d)) })
{
    var rounds = quick ? 20 : 60;
    var timer = Stopwatch.StartNew();
    Parallel.For(0, rounds * corpus.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => action(corpus[i % corpus.Length]));
    var perSecond = rounds * corpus.Length / timer.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-22} {perSecond,7:F1} docs/s total, {perSecond / Environment.ProcessorCount,6:F1} docs/s/core"));
}

return 0;

static double? Mean(Summary summary, string method) =>
    summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)?.ResultStatistics?.Mean;
