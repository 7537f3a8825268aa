using System.Reflection;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Loupe.Infrastructure.Persistence.Migrations;

/// <summary>
/// A migration whose body is its embedded SQL files. Subclasses only name themselves with
/// <see cref="MigrationAttribute"/>; the up script also records its checksum so a later edit of an
/// applied file is detected, and the down script removes it.
/// </summary>
internal abstract class SqlFileMigration : Migration
{
    internal const string ChecksumTable = "loupe_migration_checksums";

    private MigrationScript Script =>
        MigrationScript.ForId(GetType().GetCustomAttribute<MigrationAttribute>()?.Id
            ?? throw new InvalidOperationException($"{GetType().Name} has no [Migration] attribute."));

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var script = Script;
        migrationBuilder.Sql(script.Up);
        migrationBuilder.Sql(
            $"INSERT INTO {ChecksumTable} (migration_id, sha256) VALUES ('{script.Id}', '{script.Checksum}') " +
            "ON CONFLICT (migration_id) DO UPDATE SET sha256 = EXCLUDED.sha256, applied_at = now();");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        var script = Script;
        migrationBuilder.Sql(script.Down);
        migrationBuilder.Sql($"DELETE FROM {ChecksumTable} WHERE migration_id = '{script.Id}';");
    }
}
