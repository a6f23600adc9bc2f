using Microsoft.EntityFrameworkCore;

namespace ExamReview.ServiceDefaults.Persistence;

/// <summary>
/// A value as the database stores a mapped property, for a raw SQL statement's parameter. Raw SQL bypasses the
/// model's value converters, so a <see cref="DateTimeOffset"/> passed as is would be written as text on SQLite, where
/// the model stores it as binary ticks (see <see cref="ServiceDbContext"/>) and reads it back as a wrong date.
/// </summary>
public static class ColumnValues
{
    public static object? ForColumn<TEntity>(this DbContext db, string property, object? value)
    {
        var mapped = db.Model.FindEntityType(typeof(TEntity))?.FindProperty(property)
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{property} is not mapped.");
        return mapped.GetTypeMapping().Converter is { } converter ? converter.ConvertToProvider(value) : value;
    }
}
