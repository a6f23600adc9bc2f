using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using NetVips;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace ExamReview.LoadGenerator;

/// <summary>
/// The floors the platform's figures are divided by, measured in the same run on the same servers: raw S3 PUTs of
/// the same files at the same concurrency, raw PostgreSQL single-row insert transactions, raw RabbitMQ publish
/// (confirmed, durable quorum queue as the platform's) + consume, and libvips' decode + encode of the same files.
/// CPU figures are this process's own (client side), the same side as the platform's services' CPU.
/// </summary>
internal sealed record FloorResults(
    double S3PutsPerSecond, double S3PutP99Ms, double S3ClientCpuMsPerPut,
    double PgInsertsPerSecond,
    double RabbitRoundTripsPerSecond,
    double VipsCpuMsPerDocument, double VipsDocumentsPerSecond)
{
    /// <summary>The CPU floor of one accepted and validated upload: decode + encode, and two PUTs (original, reviewer copy).</summary>
    public double UploadCpuMs => VipsCpuMsPerDocument + 2 * S3ClientCpuMsPerPut;
}

internal static class Floors
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(8);

    public static async Task<FloorResults> MeasureAsync(Servers servers, byte[][] documents, int concurrency, string prefix, Action<string> say)
    {
        var (vipsCpu, vipsRate) = Vips(documents);
        say($"  libvips decode+encode: {vipsCpu:F1} CPU ms/doc on one thread, {vipsRate:F1} docs/s with {Environment.ProcessorCount} threads");
        var (puts, putP99, putCpu) = await S3Async(servers, documents, concurrency, prefix);
        say($"  S3 PUT ({concurrency} at once): {puts:F0}/s, p99 {putP99:F1} ms, client {putCpu:F2} CPU ms/PUT");
        var inserts = await PostgresAsync(servers, concurrency, prefix);
        say($"  PostgreSQL single-row insert transactions ({concurrency} connections): {inserts:F0}/s");
        var rabbit = await RabbitAsync(servers, concurrency);
        say($"  RabbitMQ confirmed publish + consume + ack (durable quorum queue, {concurrency} publishers): {rabbit:F0}/s");
        return new FloorResults(puts, putP99, putCpu, inserts, rabbit, vipsCpu, vipsRate);
    }

    private static (double CpuMsPerDoc, double DocsPerSecond) Vips(byte[][] documents)
    {
        static int DecodeEncode(byte[] document)
        {
            using var image = Image.NewFromBuffer(document, access: Enums.Access.Sequential);
            return image.JpegsaveBuffer(q: 75, optimizeCoding: true, keep: Enums.ForeignKeep.None).Length;
        }
        for (var i = 0; i < documents.Length; i++)
        {
            DecodeEncode(documents[i]); // warm-up
        }
        var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        const int OneThread = 40;
        for (var i = 0; i < OneThread; i++)
        {
            DecodeEncode(documents[i % documents.Length]);
        }
        self.Refresh();
        var cpuMs = (self.TotalProcessorTime - cpuBefore).TotalMilliseconds / OneThread;
        var all = Stopwatch.StartNew();
        var done = 0;
        Parallel.For(0, 60, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            DecodeEncode(documents[i % documents.Length]);
            Interlocked.Increment(ref done);
        });
        return (cpuMs, done / all.Elapsed.TotalSeconds);
    }

    private static async Task<(double PerSecond, double P99Ms, double CpuMsPerPut)> S3Async(Servers servers, byte[][] documents, int concurrency, string prefix)
    {
        using var s3 = new AmazonS3Client(new BasicAWSCredentials(servers.S3AccessKey, servers.S3SecretKey), new AmazonS3Config
        {
            ServiceURL = servers.S3Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = servers.S3Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        var bucket = servers.MaterialsBucket;
        try
        {
            await s3.PutBucketAsync(bucket);
        }
        catch (AmazonS3Exception)
        {
            // exists already (the platform's own bucket): the floor writes under a prefix of its own
        }
        var keys = new System.Collections.Concurrent.ConcurrentBag<string>();
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var n = 0;
        async Task Put(int i)
        {
            var key = $"loadfloor/{prefix}/{i}";
            using var stream = new MemoryStream(documents[Math.Abs(i) % documents.Length], writable: false);
            var started = Stopwatch.GetTimestamp();
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = stream, ContentType = "image/jpeg", AutoCloseStream = false });
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            keys.Add(key);
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Put(-1 - w))); // warm-up: connections, signing
        latencies.Clear();
        var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var timer = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (timer.Elapsed < Window)
            {
                await Put(Interlocked.Increment(ref n));
            }
        }));
        var seconds = timer.Elapsed.TotalSeconds;
        self.Refresh();
        var cpu = (self.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        var count = latencies.Count;
        foreach (var batch in keys.Chunk(500))
        {
            await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Objects = batch.Select(k => new KeyVersion { Key = k }).ToList() });
        }
        return (count / seconds, Percentiles.Of(latencies.Order().ToArray(), 0.99), cpu / count);
    }

    private static async Task<double> PostgresAsync(Servers servers, int concurrency, string prefix)
    {
        var database = prefix + "_floor";
        await using (var admin = new NpgsqlConnection(servers.Database("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\"; ", admin);
            await create.ExecuteNonQueryAsync();
            create.CommandText = $"CREATE DATABASE \"{database}\"";
            await create.ExecuteNonQueryAsync();
        }
        try
        {
            await using var source = NpgsqlDataSource.Create(servers.Database(database));
            await using (var table = source.CreateCommand("CREATE TABLE floor (id uuid PRIMARY KEY, at timestamptz NOT NULL, body text NOT NULL)"))
            {
                await table.ExecuteNonQueryAsync();
            }
            var timer = Stopwatch.StartNew();
            var inserted = 0;
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                await using var connection = await source.OpenConnectionAsync();
                await using var insert = new NpgsqlCommand("INSERT INTO floor VALUES ($1, now(), $2)", connection);
                insert.Parameters.Add(new NpgsqlParameter { Value = Guid.Empty });
                insert.Parameters.Add(new NpgsqlParameter { Value = new string('x', 200) });
                await insert.PrepareAsync();
                while (timer.Elapsed < Window)
                {
                    insert.Parameters[0].Value = Guid.CreateVersion7();
                    await insert.ExecuteNonQueryAsync(); // autocommit: one transaction, one WAL flush each
                    Interlocked.Increment(ref inserted);
                }
            }));
            return inserted / timer.Elapsed.TotalSeconds;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(servers.Database("postgres"));
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static async Task<double> RabbitAsync(Servers servers, int concurrency)
    {
        var factory = new ConnectionFactory { Uri = servers.RabbitMq };
        await using var connection = await factory.CreateConnectionAsync("examreview-loadgenerator-floor");
        await using var publisher = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await using var consumerChannel = await connection.CreateChannelAsync();
        var queue = "loadfloor-" + Guid.NewGuid().ToString("N")[..8];
        await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        try
        {
            var consumed = 0;
            var consumer = new AsyncEventingBasicConsumer(consumerChannel);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                await consumerChannel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
                Interlocked.Increment(ref consumed);
            };
            await consumerChannel.BasicQosAsync(0, 64, false);
            await consumerChannel.BasicConsumeAsync(queue, autoAck: false, consumer);
            var body = new byte[600]; // about a MaterialUploaded envelope
            var properties = new BasicProperties { Persistent = true, ContentType = "application/vnd.masstransit+json" };
            var published = 0;
            var timer = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                while (timer.Elapsed < Window)
                {
                    await publisher.BasicPublishAsync("", queue, mandatory: false, properties, body); // returns once confirmed
                    Interlocked.Increment(ref published);
                }
            }));
            while (Volatile.Read(ref consumed) < published && timer.Elapsed < Window * 3)
            {
                await Task.Delay(10);
            }
            return Volatile.Read(ref consumed) / timer.Elapsed.TotalSeconds;
        }
        finally
        {
            await publisher.QueueDeleteAsync(queue);
        }
    }
}
