using System.Net;
using System.Runtime.InteropServices;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace ExamReview.ServiceDefaults.Storage;

public sealed class S3StoreOptions
{
    public required Uri Endpoint { get; init; }
    public required string AccessKey { get; init; }
    public required string SecretKey { get; init; }
    public string Region { get; init; } = "us-east-1";
    public required string Bucket { get; init; }

    /// <summary>aws-chunked uploads: MinIO handles them, some S3 emulators store the framing as bytes. Off by default.</summary>
    public bool UseChunkEncoding { get; init; }

    /// <summary>Parses <c>Endpoint=...;AccessKey=...;SecretKey=...;Region=...;Bucket=...</c>.</summary>
    public static S3StoreOptions Parse(string connectionString, string? bucketOverride = null, bool useChunkEncoding = false)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        string Get(string name) => parts.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new InvalidOperationException($"The object store connection string lacks '{name}'.");
        return new S3StoreOptions
        {
            Endpoint = new Uri(Get("Endpoint")),
            AccessKey = Get("AccessKey"),
            SecretKey = Get("SecretKey"),
            Region = parts.GetValueOrDefault("Region") ?? "us-east-1",
            Bucket = bucketOverride ?? Get("Bucket"),
            UseChunkEncoding = useChunkEncoding,
        };
    }
}

/// <summary>S3-compatible object store (MinIO in deployment). A single PutObject is atomic: no partial object is ever visible.</summary>
public sealed class S3ObjectStore : IObjectStore, IDisposable
{
    private const string ShaMetadata = "x-amz-meta-sha256";
    private readonly AmazonS3Client _client;
    private readonly S3StoreOptions _options;
    private readonly SemaphoreSlim _bucketGate = new(1, 1);
    private bool _bucketReady;

    public S3ObjectStore(S3StoreOptions options)
    {
        AWSConfigs.InitializeCollections = true;
        _options = options;
        _client = new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), new AmazonS3Config
        {
            ServiceURL = options.Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = options.Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromSeconds(30),
            MaxErrorRetry = 3,
        });
    }

    public async Task<StoredObject> PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        await EnsureBucketAsync(cancellationToken);
        var sha = ObjectKeys.Sha256Hex(content.Span);
        // Over the caller's array when there is one: a copy was one more large-object allocation per upload.
        using var stream = MemoryMarshal.TryGetArray(content, out var array)
            ? new MemoryStream(array.Array!, array.Offset, array.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        var request = new PutObjectRequest
        {
            BucketName = _options.Bucket,
            Key = ObjectKeys.Validate(key),
            InputStream = stream,
            ContentType = contentType,
            UseChunkEncoding = _options.UseChunkEncoding,
            AutoCloseStream = false,
        };
        request.Metadata.Add(ShaMetadata, sha);
        await _client.PutObjectAsync(request, cancellationToken);
        return new StoredObject(key, content.Length, sha);
    }

    public async Task<ObjectContent?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetObjectAsync(_options.Bucket, ObjectKeys.Validate(key), cancellationToken);
            var sha = response.Metadata[ShaMetadata];
            return new ObjectContent(await ReadAllAsync(response, cancellationToken), response.Headers.ContentType ?? "application/octet-stream",
                string.IsNullOrEmpty(sha) ? null : sha);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// The body in one array of its announced length (a growing buffer and its final copy allocated about three times
    /// the object, mostly on the large-object heap: a gen-2 collection every few seconds under load, issue 19).
    /// </summary>
    private static async Task<byte[]> ReadAllAsync(GetObjectResponse response, CancellationToken cancellationToken)
    {
        if (response.ContentLength >= 0 && response.ContentLength <= Array.MaxLength)
        {
            var content = new byte[response.ContentLength];
            await response.ResponseStream.ReadExactlyAsync(content, cancellationToken);
            return content;
        }
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _client.GetObjectMetadataAsync(_options.Bucket, ObjectKeys.Validate(key), cancellationToken);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        await _client.DeleteObjectAsync(_options.Bucket, ObjectKeys.Validate(key), cancellationToken);

    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = prefix };
        do
        {
            var response = await _client.ListObjectsV2Async(request, cancellationToken);
            keys.AddRange((response.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        _bucketReady = false;
        await EnsureBucketAsync(cancellationToken);
    }

    private async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        if (_bucketReady)
        {
            return;
        }
        await _bucketGate.WaitAsync(cancellationToken);
        try
        {
            if (!_bucketReady)
            {
                var buckets = await _client.ListBucketsAsync(cancellationToken);
                if (!buckets.Buckets.Any(b => b.BucketName == _options.Bucket))
                {
                    await _client.PutBucketAsync(new PutBucketRequest { BucketName = _options.Bucket }, cancellationToken);
                }
                _bucketReady = true;
            }
        }
        finally
        {
            _bucketGate.Release();
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _bucketGate.Dispose();
    }
}
