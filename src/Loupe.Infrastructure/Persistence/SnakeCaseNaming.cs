using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Loupe.Infrastructure.Persistence;

/// <summary>
/// Names every table, column, key and index the way the SQL migrations do (snake_case, <c>pk_</c>,
/// <c>fk_</c>, <c>ix_</c>), so the model and the migrated schema can be compared name for name.
/// Explicit names set in a configuration win.
/// </summary>
internal static class SnakeCaseNaming
{
    public static void Apply(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(e => e.GetTableName() is not null))
        {
            var table = entity.GetTableName()!;
            if (table == entity.ShortName() || table == entity.ClrType.Name)
            {
                table = ToSnakeCase(table);
                entity.SetTableName(table);
            }

            var storeObject = StoreObjectIdentifier.Table(table, entity.GetSchema());
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName(storeObject) == property.Name)
                {
                    property.SetColumnName(ToSnakeCase(property.Name));
                }
            }

            foreach (var key in entity.GetKeys().Where(k => k.IsPrimaryKey()))
            {
                key.SetName($"pk_{table}");
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                var columns = string.Join('_', foreignKey.Properties.Select(p => p.GetColumnName(storeObject)));
                foreignKey.SetConstraintName($"fk_{table}_{columns}");
            }

            foreach (var index in entity.GetIndexes().Where(i => i.Name is null))
            {
                var columns = string.Join('_', index.Properties.Select(p => p.GetColumnName(storeObject)));
                index.SetDatabaseName($"ix_{table}_{columns}");
            }
        }
    }

    internal static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var startsWord = i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
                if (startsWord)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
