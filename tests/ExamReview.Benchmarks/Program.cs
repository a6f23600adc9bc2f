using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ExamReview.Benchmarks;
using ExamReview.ImageValidation.Processing;
using ExamReview.Imaging;

// Document pipeline throughput next to the libvips floor (decode + encode of the same files): BenchmarkDotNet
// per step, then side-by-side runs that the verdict uses (CPU time per document on one thread, and all cores
// busy), peak memory per image in flight (the corpus and a 6000x6000 PNG bomb), and a PASS/FAIL verdict against
// issue 12's targets; the exit code is
// 0 only when both are met. "-- --stages" prints where the pipeline's time goes instead; "-- --latency
// [--distributed]" starts the platform and times uploads until the candidate sees the checks' verdict.
//   dotnet run -c Release -m:1 --project tests/ExamReview.Benchmarks            full run
//   dotnet run -c Release -m:1 --project tests/ExamReview.Benchmarks -- --quick  fewer iterations
if (args is ["--peak-child", var childScenario, var childInFlight, var childCorpus])
{
    return PeakMemory.Child(childScenario, int.Parse(childInFlight, CultureInfo.InvariantCulture), childCorpus);
}

const double MaxRatio = 1.5; // issue 12: the pipeline at no more than 1.5x the floor's CPU time per document
const double AimRatio = 1.3; // and aiming for 1.3x
const double MaxPeakPerImageMb = 50;

var quick = args.Contains("--quick");
VipsRuntime.Initialise(new VipsRuntimeOptions { Concurrency = 1 });
var corpus = Corpus.Documents;
if (args.Contains("--stages"))
{
    Stages.Run(corpus, 400);
    return 0;
}

if (args.Contains("--latency"))
{
    return await ValidationLatency.RunAsync(corpus, distributed: args.Contains("--distributed"), candidates: quick ? 10 : 20);
}

var watermark = new WatermarkOptions();
Console.WriteLine($"libvips {VipsRuntime.Version}; {Environment.ProcessorCount} cores ({CpuModel()}); .NET {Environment.Version}");
Console.WriteLine($"corpus: {corpus.Length} JPEGs, {corpus.Average(d => d.Length) / 1024:F0} KB average, {Corpus.Describe()}; " +
    $"reviewer copy and floor saved at Q{watermark.Quality}, strip, optimize_coding={watermark.OptimizeCoding.ToString().ToLowerInvariant()}");

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
Console.WriteLine("Per-core throughput (libvips concurrency 1, one calling thread; BenchmarkDotNet means):");
var floor = Mean(summary, nameof(DocumentThroughput.Floor_DecodeEncode));
var pipelineMean = Mean(summary, nameof(DocumentThroughput.Pipeline));
foreach (var name in new[]
{
    nameof(DocumentThroughput.Floor_DecodeEncode), nameof(DocumentThroughput.Check), nameof(DocumentThroughput.Watermark_Save),
    nameof(DocumentThroughput.Check_Then_Watermark), nameof(DocumentThroughput.Pipeline), nameof(DocumentThroughput.Pipeline_SameCandidate),
})
{
    if (Mean(summary, name) is { } ns)
    {
        var ratio = floor is { } f ? ns / f : double.NaN;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-24} {ns / 1e6,8:F2} ms/doc  {1e9 / ns,7:F1} docs/s/core  {ratio,5:F2}x floor"));
    }
}

// The verdict's figures: floor and pipeline measured side by side (alternating blocks or bursts), so load from
// other processes on a shared machine hits both alike (BenchmarkDotNet runs them minutes apart). See PerCore for
// why throughput per core is read from CPU time and from the all-cores run, not from one thread's wall clock.
var paired = new DocumentThroughput();
paired.Setup();
var oneThread = PerCore.OneThread(paired.FloorOf, paired.PipelineOf, corpus, blocks: quick ? 30 : 100, blockSize: 2 * corpus.Length);
var threads = Environment.ProcessorCount;
var (allFloorMs, allPipelineMs, allFloorCpuMs, allPipelineCpuMs) = PerCore.AllCores(paired.FloorOf, paired.PipelineOf, corpus, threads, bursts: quick ? 10 : 30, burstSize: 8 * corpus.Length);
Console.WriteLine();
Console.WriteLine("Side by side (new registration number per pipeline document):");
Console.WriteLine("  one calling thread, CPU time of the whole process per document (every libvips thread counted):");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {"Floor_DecodeEncode",-24} {oneThread.FloorCpuMs,8:F2} CPU ms/doc  {1000 / oneThread.FloorCpuMs,7:F1} docs/s/core  1.00x floor"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {"Pipeline",-24} {oneThread.PipelineCpuMs,8:F2} CPU ms/doc  {1000 / oneThread.PipelineCpuMs,7:F1} docs/s/core  {oneThread.CpuRatio,5:F2}x floor"));
Console.WriteLine($"  all {threads} cores busy ({threads} calling threads), wall clock per document:");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {"Floor_DecodeEncode",-24} {allFloorMs,8:F2} ms/doc      {1000 / allFloorMs / threads,7:F1} docs/s/core  1.00x floor"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {"Pipeline",-24} {allPipelineMs,8:F2} ms/doc      {1000 / allPipelineMs / threads,7:F1} docs/s/core  {allPipelineMs / allFloorMs,5:F2}x floor"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    (CPU time of the same bursts: floor {allFloorCpuMs:F2}, pipeline {allPipelineCpuMs:F2} CPU ms/doc = {allPipelineCpuMs / allFloorCpuMs:F2}x; load average {LoadAverage()})"));
Console.WriteLine("  one calling thread, wall clock (median block; libvips' write-behind thread lets the floor use ~1.5 cores):");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {"Floor_DecodeEncode",-24} {oneThread.FloorWallMs,8:F2} ms/doc      {oneThread.FloorCpuMs / oneThread.FloorWallMs,5:F2} cores busy  1.00x floor"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {"Pipeline",-24} {oneThread.PipelineWallMs,8:F2} ms/doc      {oneThread.PipelineCpuMs / oneThread.PipelineWallMs,5:F2} cores busy  {oneThread.WallRatio,5:F2}x floor"));

Console.WriteLine();
Console.WriteLine("Peak memory per image in flight (fresh child process per row; (VmHWM - warm VmRSS) / documents in flight):");
var corpusDir = Directory.CreateTempSubdirectory("examreview-bench-");
var peaks = new List<PeakMemory.Result>();
try
{
    for (var i = 0; i < corpus.Length; i++)
    {
        File.WriteAllBytes(Path.Combine(corpusDir.FullName, $"{i}.jpg"), corpus[i]);
    }

    var bomb = Corpus.BombPng();
    File.WriteAllBytes(Path.Combine(corpusDir.FullName, "bomb.png"), bomb);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  (bomb: a {bomb.Length / 1024.0:F0} KB PNG of 6000x6000, 108 MB as sRGB at full size)"));
    foreach (var (scenario, inFlight) in new[] { ("floor", 1), ("pipeline", 1), ("floor", 4), ("pipeline", 4), ("bomb", 1), ("bomb", 4) })
    {
        var result = PeakMemory.RunChild(scenario, inFlight, corpusDir.FullName, out var failure);
        if (result is null)
        {
            Console.WriteLine($"  {scenario,-9} {inFlight} in flight: {failure}");
            continue;
        }

        peaks.Add(result);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {scenario,-9} {inFlight} in flight: peak RSS +{result.PeakBytes / 1048576.0,5:F1} MB over a {result.BaselineBytes / 1048576.0:F0} MB warm baseline = {result.PerImageBytes / 1048576.0,5:F1} MB per image; libvips pixel high-water {result.VipsPeakBytes / 1048576.0:F1} MB"));
    }
}
finally
{
    corpusDir.Delete(recursive: true);
}

Console.WriteLine();
var passed = true;
{
    // The target is CPU time per document (issue 12): on one thread and with every core busy. The all-cores wall
    // clock is printed for reference only: on a shared, loaded machine it measures how the scheduler splits the
    // cores between the floor's and the pipeline's threads as much as the work itself.
    var allCoresRatio = allPipelineCpuMs / allFloorCpuMs;
    var allCoresWallRatio = allPipelineMs / allFloorMs;
    var ok = oneThread.CpuRatio <= MaxRatio && allCoresRatio <= MaxRatio;
    passed &= ok;
    var benchmarkRatio = floor is { } f && pipelineMean is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p / f:F2}x") : "n/a";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{(ok ? "PASS" : "FAIL")} throughput per core: pipeline {1000 / oneThread.PipelineCpuMs:F1} docs/s/core vs libvips floor {1000 / oneThread.FloorCpuMs:F1} docs/s/core = {oneThread.CpuRatio:F2}x the floor's CPU time per document; all cores busy: {allCoresRatio:F2}x the CPU time; target <= {MaxRatio:F1}x on both, aiming for {AimRatio:F1}x ({(oneThread.CpuRatio <= AimRatio ? "reached" : "not reached")} on one thread) (for reference, wall clock: one thread {oneThread.WallRatio:F2}x, all cores {allCoresWallRatio:F2}x; BenchmarkDotNet means: {benchmarkRatio}; load average {LoadAverage()})"));
}

var pipelinePeaks = peaks.Where(p => p.Scenario == "pipeline").ToList();
var bombPeaks = peaks.Where(p => p.Scenario == "bomb").ToList();
if (pipelinePeaks.Count == 2 && bombPeaks.Count == 2)
{
    var worst = pipelinePeaks.Max(p => p.PerImageBytes) / 1048576.0;
    var worstBomb = bombPeaks.Max(p => p.PerImageBytes) / 1048576.0;
    var ok = worst < MaxPeakPerImageMb && worstBomb < MaxPeakPerImageMb;
    passed &= ok;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{(ok ? "PASS" : "FAIL")} memory: pipeline peak {worst:F1} MB per image in flight on the corpus, {worstBomb:F1} MB on the 6000x6000 PNG (worst of 1 and 4 in flight), target < {MaxPeakPerImageMb:F0} MB"));
}
else
{
    passed = false;
    Console.WriteLine("FAIL memory: the peak-memory children did not report");
}

Console.WriteLine(passed ? "PASS: both targets met" : "FAIL: a target was missed");
return passed ? 0 : 1;

static double? Mean(Summary summary, string method) =>
    summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)?.ResultStatistics?.Mean;

// Other processes' load: on a shared machine it moves the all-cores wall clock, not the CPU time per document.
static string LoadAverage()
{
    try
    {
        return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "unknown";
    }
}

static string CpuModel()
{
    try
    {
        return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
    }
    catch (IOException)
    {
        return "unknown CPU";
    }
}
