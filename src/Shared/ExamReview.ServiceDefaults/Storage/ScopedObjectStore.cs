namespace ExamReview.ServiceDefaults.Storage;

/// <summary>What a service may do with the objects under one key prefix.</summary>
[Flags]
public enum ObjectAccess
{
    None = 0,
    Read = 1,
    Write = 2,
    Delete = 4,
}

/// <summary>
/// One grant of a scoped view: <paramref name="Access"/> to every key starting with <paramref name="Prefix"/>
/// (which ends with '/'). It mirrors one statement of the bucket policy the service's credentials carry in
/// deployment (s3:GetObject, s3:PutObject, s3:DeleteObject on <c>arn:aws:s3:::bucket/prefix*</c>).
/// </summary>
public sealed record ObjectGrant(string Prefix, ObjectAccess Access)
{
    public bool Covers(string key, ObjectAccess access) =>
        key.StartsWith(Prefix, StringComparison.Ordinal) && (Access & access) == access;
}

/// <summary>A scoped view refused an operation outside its grants: a programming or configuration error.</summary>
public sealed class ObjectAccessDeniedException(string message) : UnauthorizedAccessException(message);

/// <summary>
/// A service's view of a shared bucket: only the operations its grants allow, on the prefixes they name.
/// The object server enforces the same rules through the service's own credentials where it can (MinIO, S3);
/// the view makes them hold in every run, also on the embedded run's directory and on test servers that do not
/// check signatures, and turns a stray access into an exception at the call instead of a silent success.
/// </summary>
public sealed class ScopedObjectStore : IObjectStore
{
    private readonly IObjectStore _bucket;

    public ScopedObjectStore(IObjectStore bucket, string name, IReadOnlyList<ObjectGrant> grants)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentNullException.ThrowIfNull(grants);
        foreach (var grant in grants)
        {
            if (!grant.Prefix.EndsWith('/') || grant.Prefix.Length < 2)
            {
                throw new ArgumentException($"Grant prefix '{grant.Prefix}' must name a folder ending with '/'.", nameof(grants));
            }
            ObjectKeys.Validate(grant.Prefix);
        }
        _bucket = bucket;
        Name = name;
        Grants = grants;
    }

    /// <summary>Who holds the view (named in refusals).</summary>
    public string Name { get; }

    public IReadOnlyList<ObjectGrant> Grants { get; }

    public bool Allows(string key, ObjectAccess access) => Grants.Any(g => g.Covers(key, access));

    public Task<StoredObject> PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
        _bucket.PutAsync(Demand(key, ObjectAccess.Write), content, contentType, cancellationToken);

    public Task<ObjectContent?> GetAsync(string key, CancellationToken cancellationToken) =>
        _bucket.GetAsync(Demand(key, ObjectAccess.Read), cancellationToken);

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) =>
        _bucket.ExistsAsync(Demand(key, ObjectAccess.Read), cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        _bucket.DeleteAsync(Demand(key, ObjectAccess.Delete), cancellationToken);

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken) =>
        _bucket.ListAsync(Demand(prefix, ObjectAccess.Read), cancellationToken);

    public Task CheckAsync(CancellationToken cancellationToken) => _bucket.CheckAsync(cancellationToken);

    /// <summary>The key if a grant covers it (then also checked against traversal, e.g. <c>originals/../x</c>), else a refusal.</summary>
    private string Demand(string key, ObjectAccess access) => Allows(key, access)
        ? ObjectKeys.Validate(key)
        : throw new ObjectAccessDeniedException($"{Name} may not {access.ToString().ToLowerInvariant()} '{key}': its grants are "
            + string.Join(", ", Grants.Select(g => $"{g.Prefix} ({g.Access})")) + ".");
}
