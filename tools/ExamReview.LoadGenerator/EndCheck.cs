using Amazon.Runtime;
using Amazon.S3;
using Npgsql;
using RabbitMQ.Client;

namespace ExamReview.LoadGenerator;

/// <summary>
/// The checks after a run (faults or not), by program: every upload that got a 2xx has its row, its verdict and its
/// objects (original and, when it passed, the watermarked reviewer copy, exactly one verdict applied per image);
/// every submitted application has exactly one review case; every return produced exactly one SMS; and no outbox
/// row is left unpublished nor a message parked in an error queue. Each line says PASS or FAIL with its counts.
/// </summary>
internal static class EndCheck
{
    public static readonly string[] Queues = ["registration", "material-storage", "image-validation", "review-workflow", "notification"];
    private static readonly string[] Databases = ["registration", "materialstorage", "reviewworkflow", "notification"];

    public static async Task<bool> RunAsync(Servers servers, string prefix, Ledger ledger, Action<string> say)
    {
        var ok = true;
        void Line(bool pass, string text)
        {
            ok &= pass;
            say($"  {(pass ? "PASS" : "FAIL")} {text}");
        }

        var accepted = ledger.AcceptedUploads.Keys.ToArray();
        await using var materials = NpgsqlDataSource.Create(servers.Database($"{prefix}_materialstorage"));
        var rows = new List<(Guid Id, int Validation, string ObjectKey, string? CopyKey)>();
        await using (var command = materials.CreateCommand("SELECT \"Id\", \"Validation\", \"ObjectKey\", \"ReviewerCopyKey\" FROM \"Images\" WHERE \"Id\" = ANY($1)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = accepted });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetGuid(0), reader.GetInt32(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
        }
        var withVerdict = rows.Count(r => r.Validation != 0);
        var passed = rows.Count(r => r.Validation == 1);
        Line(rows.Count == accepted.Length && withVerdict == accepted.Length,
            $"uploads answered 2xx: {accepted.Length}; rows: {rows.Count}; with a verdict: {withVerdict} (passed {passed}, failed {withVerdict - passed})");

        // Each verdict is applied once: MaterialStorage's inbox holds one row per applied verdict message.
        long inboxVerdicts;
        await using (var command = materials.CreateCommand("SELECT count(*) FROM \"InboxMessages\" WHERE \"Consumer\" ILIKE '%Validated%'"))
        {
            inboxVerdicts = (long)(await command.ExecuteScalarAsync())!;
        }
        var allVerdicts = await ScalarAsync(materials, "SELECT count(*) FROM \"Images\" WHERE \"Validation\" <> 0");
        Line(inboxVerdicts == allVerdicts, $"verdict messages applied (inbox rows) {inboxVerdicts} = images with a verdict {allVerdicts} (no verdict applied twice)");

        using var s3 = new AmazonS3Client(new BasicAWSCredentials(servers.S3AccessKey, servers.S3SecretKey), new AmazonS3Config
        {
            ServiceURL = servers.S3Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = servers.S3Region,
        });
        var missingOriginals = 0;
        var copies = 0;
        var missingCopies = 0;
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(rows.Select(async r =>
        {
            await gate.WaitAsync();
            try
            {
                if (!await ExistsAsync(s3, servers.MaterialsBucket, r.ObjectKey))
                {
                    Interlocked.Increment(ref missingOriginals);
                }
                if (r.Validation == 1)
                {
                    if (r.CopyKey is not null && await ExistsAsync(s3, servers.MaterialsBucket, r.CopyKey))
                    {
                        Interlocked.Increment(ref copies);
                    }
                    else
                    {
                        Interlocked.Increment(ref missingCopies);
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        Line(missingOriginals == 0 && missingCopies == 0,
            $"objects: originals missing {missingOriginals} of {rows.Count}; watermarked copies stored {copies} = passed verdicts {passed} (missing {missingCopies})");

        var submitted = ledger.Submitted.Keys.ToArray();
        await using var reviews = NpgsqlDataSource.Create(servers.Database($"{prefix}_reviewworkflow"));
        var cases = await CountsAsync(reviews, "SELECT \"CandidateId\", count(*) FROM \"ReviewCases\" WHERE \"CandidateId\" = ANY($1) GROUP BY 1", submitted);
        Line(submitted.All(c => cases.GetValueOrDefault(c) == 1) && cases.Values.All(v => v == 1),
            $"submitted applications {submitted.Length}; with exactly one review case {submitted.Count(c => cases.GetValueOrDefault(c) == 1)}; none {submitted.Count(c => !cases.ContainsKey(c))}; more than one {cases.Values.Count(v => v > 1)}");

        var returnedCandidates = ledger.Returned.Values.Select(r => r.Candidate).ToArray();
        await using var notifications = NpgsqlDataSource.Create(servers.Database($"{prefix}_notification"));
        var sms = await CountsAsync(notifications, "SELECT \"CandidateId\", count(*) FROM \"SmsMessages\" WHERE \"Template\" = 'review-returned' AND \"CandidateId\" = ANY($1) GROUP BY 1", returnedCandidates);
        Line(returnedCandidates.All(c => sms.GetValueOrDefault(c) == 1),
            $"returns {returnedCandidates.Length}; with exactly one SMS {returnedCandidates.Count(c => sms.GetValueOrDefault(c) == 1)}; none {returnedCandidates.Count(c => !sms.ContainsKey(c))}; more than one {sms.Values.Count(v => v > 1)}");

        foreach (var database in Databases)
        {
            await using var source = NpgsqlDataSource.Create(servers.Database($"{prefix}_{database}"));
            var unpublished = await ScalarAsync(source, "SELECT count(*) FROM \"OutboxMessages\" WHERE \"PublishedAt\" IS NULL");
            Line(unpublished == 0, $"{database} outbox: {unpublished} unpublished (operators see it at GET /api/v1/<area>/ops/outbox)");
        }
        var factory = new ConnectionFactory { Uri = servers.RabbitMq };
        await using var connection = await factory.CreateConnectionAsync("examreview-loadgenerator-check");
        foreach (var queue in Queues)
        {
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                var error = await channel.QueueDeclarePassiveAsync(queue + "_error");
                Line(error.MessageCount == 0, $"{queue}_error: {error.MessageCount} messages");
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                say($"  PASS {queue}_error: no such queue (nothing ever failed there)");
            }
        }
        return ok;
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<Dictionary<Guid, long>> CountsAsync(NpgsqlDataSource source, string sql, Guid[] ids)
    {
        var counts = new Dictionary<Guid, long>();
        await using var command = source.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetGuid(0)] = reader.GetInt64(1);
        }
        return counts;
    }

    private static async Task<bool> ExistsAsync(AmazonS3Client s3, string bucket, string key)
    {
        try
        {
            await s3.GetObjectMetadataAsync(bucket, key);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
