using System.Text.Json;

namespace ExamReview.ServiceDefaults.Storage;

/// <summary>
/// Object store on a local directory for the embedded run. Content and its metadata are written to
/// temporary files and renamed into place (metadata first, content last), so a half-written object is
/// never visible under its key.
/// </summary>
public sealed class FileSystemObjectStore(string root) : IObjectStore
{
    private sealed record Metadata(string ContentType, string Sha256, long Length);

    private readonly string _root = Path.GetFullPath(root);

    public async Task<StoredObject> PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var sha = ObjectKeys.Sha256Hex(content.Span);
        var tempData = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var tempMeta = tempData + ".meta";
        try
        {
            await File.WriteAllBytesAsync(tempData, content.ToArray(), cancellationToken);
            await File.WriteAllTextAsync(tempMeta, JsonSerializer.Serialize(new Metadata(contentType, sha, content.Length)), cancellationToken);
            File.Move(tempMeta, path + ".meta", overwrite: true);
            File.Move(tempData, path, overwrite: true);
        }
        finally
        {
            File.Delete(tempData);
            File.Delete(tempMeta);
        }
        return new StoredObject(key, content.Length, sha);
    }

    public async Task<ObjectContent?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return null;
        }
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        var meta = File.Exists(path + ".meta")
            ? JsonSerializer.Deserialize<Metadata>(await File.ReadAllTextAsync(path + ".meta", cancellationToken))
            : null;
        return new ObjectContent(bytes, meta?.ContentType ?? "application/octet-stream", meta?.Sha256);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) => Task.FromResult(File.Exists(PathOf(key)));

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        // Deleting what is not there succeeds, as on S3 (File.Delete throws when even the folder is missing).
        var path = PathOf(key);
        if (Directory.Exists(Path.GetDirectoryName(path)))
        {
            File.Delete(path);
            File.Delete(path + ".meta");
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var folder = prefix.LastIndexOf('/') is var slash and >= 0 ? prefix[..(slash + 1)] : "";
        var directory = folder.Length == 0 ? _root : PathOf(folder.TrimEnd('/'));
        IReadOnlyList<string> keys = !Directory.Exists(directory)
            ? []
            : Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Where(path => !path.EndsWith(".meta", StringComparison.Ordinal) && !path.EndsWith(".tmp", StringComparison.Ordinal))
                .Select(path => Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/'))
                .Where(key => key.StartsWith(prefix, StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList();
        return Task.FromResult(keys);
    }

    public Task CheckAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_root);
        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, ObjectKeys.Validate(key)));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Object key '{key}' escapes the store root.", nameof(key));
        }
        return path;
    }
}
