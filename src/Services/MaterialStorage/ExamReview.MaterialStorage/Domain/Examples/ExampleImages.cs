using System.Collections.Concurrent;
using System.Security.Cryptography;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain.Catalogs;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.MaterialStorage.Domain.Examples;

/// <summary>A drawn example image and its entity tag (a hash of the bytes).</summary>
public sealed record ExampleImage(byte[] Png, string ETag);

/// <summary>
/// Serves every catalog item's example (示例): the <c>exampleImage</c> key of a material type
/// (<c>examples/&lt;file&gt;.png</c>, relative to the materials API) names a drawing of that type. Stored catalog
/// versions never change, so each version's keys are read once; drawings are cached by code and name.
/// </summary>
public sealed class ExampleImages(CatalogStore catalogs)
{
    public const string KeyPrefix = "examples/";

    private readonly ConcurrentDictionary<Guid, IReadOnlyList<MaterialTypeDefinition>> _typesByVersion = new();
    private readonly ConcurrentDictionary<(string Code, string Name), ExampleImage> _drawn = new();

    /// <summary>The example for a key such as <c>examples/id-card.png</c>; null when no stored catalog names it.</summary>
    public async Task<ExampleImage?> FindAsync(MaterialStorageDbContext db, string key, CancellationToken ct)
    {
        // Newest first: when two versions name the same key, the current wording of the type wins.
        var versions = await db.Catalogs.AsNoTracking().OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Version)
            .Select(c => c.Id).ToListAsync(ct);
        var unknown = versions.Where(id => !_typesByVersion.ContainsKey(id)).ToList();
        if (unknown.Count > 0)
        {
            foreach (var version in await db.Catalogs.AsNoTracking().Where(c => unknown.Contains(c.Id)).ToListAsync(ct))
            {
                _typesByVersion[version.Id] = catalogs.Parse(version).Types;
            }
        }
        var type = versions.SelectMany(id => _typesByVersion[id]).FirstOrDefault(t => t.ExampleImage == key);
        return type is null ? null : _drawn.GetOrAdd((type.Code, type.Name), k =>
        {
            var png = ExampleDrawing.Png(k.Code, k.Name);
            return new ExampleImage(png, "\"" + Convert.ToHexStringLower(SHA256.HashData(png))[..32] + "\"");
        });
    }
}
