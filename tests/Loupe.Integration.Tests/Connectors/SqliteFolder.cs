using System.Security.Cryptography;
using Loupe.Application.Common.Connectors;
using Loupe.Domain.DataSources;
using Microsoft.Data.Sqlite;

namespace Loupe.Integration.Tests.Connectors;

/// <summary>
/// A temporary tree for the SQLite connector: the data folder with a sample database, and beside it
/// files the connector must never reach, with links that try to.
/// <code>
/// root/
///   data/                      the configured folder
///     sample.db                sales (1000 rows), people, a view, sqlite_sequence
///     broken.db                a view whose table was dropped
///     wal.db                   a database in WAL mode
///     sub/nested.db            a copy of sample.db one level down
///     adir/                    a directory, not a file
///     inside-link.db        -> sample.db              (stays inside: followed)
///     sub/up-link.db        -> ../sample.db           (stays inside: followed)
///     outside-link.db       -> ../outside.db          (leaves: refused)
///     absolute-link.db      -> root/outside.db        (leaves: refused)
///     outdir                -> ../outsidedir          (a directory link that leaves)
///     chain-a.db -> chain-b.db -> ../outside.db       (leaves after two hops)
///     loop-a.db  -> loop-b.db  -> loop-a.db
///   data-link               -> data                   (the folder configured through a link)
///   outside.db
///   outsidedir/secret.db
/// </code>
/// </summary>
public sealed class SqliteFolder : IDisposable
{
    public SqliteFolder()
    {
        Root = Directory.CreateTempSubdirectory("loupe-sqlite-").FullName;
        Folder = Path.Combine(Root, "data");
        Directory.CreateDirectory(Path.Combine(Folder, "sub"));
        Directory.CreateDirectory(Path.Combine(Folder, "adir"));
        Directory.CreateDirectory(Path.Combine(Root, "outsidedir"));

        CreateSample(Path.Combine(Folder, "sample.db"));
        CreateSample(Path.Combine(Folder, "sub", "nested.db"));
        CreateDatabase(Path.Combine(Folder, "wal.db"), "PRAGMA journal_mode = WAL; CREATE TABLE w (a integer); INSERT INTO w VALUES (1), (2);");
        CreateDatabase(Path.Combine(Folder, "broken.db"), "CREATE TABLE a (x integer); CREATE VIEW bv AS SELECT x FROM a; DROP TABLE a;");
        CreateDatabase(Path.Combine(Root, "outside.db"), "CREATE TABLE secret (s text); INSERT INTO secret VALUES ('outside');");
        CreateDatabase(Path.Combine(Root, "outsidedir", "secret.db"), "CREATE TABLE secret (s text); INSERT INTO secret VALUES ('outside dir');");

        File.CreateSymbolicLink(Path.Combine(Folder, "inside-link.db"), "sample.db");
        File.CreateSymbolicLink(Path.Combine(Folder, "sub", "up-link.db"), "../sample.db");
        File.CreateSymbolicLink(Path.Combine(Folder, "outside-link.db"), "../outside.db");
        File.CreateSymbolicLink(Path.Combine(Folder, "absolute-link.db"), Path.Combine(Root, "outside.db"));
        Directory.CreateSymbolicLink(Path.Combine(Folder, "outdir"), "../outsidedir");
        File.CreateSymbolicLink(Path.Combine(Folder, "chain-a.db"), "chain-b.db");
        File.CreateSymbolicLink(Path.Combine(Folder, "chain-b.db"), "../outside.db");
        File.CreateSymbolicLink(Path.Combine(Folder, "loop-a.db"), "loop-b.db");
        File.CreateSymbolicLink(Path.Combine(Folder, "loop-b.db"), "loop-a.db");
        Directory.CreateSymbolicLink(Path.Combine(Root, "data-link"), "data");

        SampleHash = Hash(Path.Combine(Folder, "sample.db"));
        OutsideHash = Hash(Path.Combine(Root, "outside.db"));
        WalHash = Hash(Path.Combine(Folder, "wal.db"));
    }

    /// <summary>The temporary tree; no error message may name it.</summary>
    public string Root { get; }

    /// <summary>The configured data folder.</summary>
    public string Folder { get; }

    public byte[] SampleHash { get; }

    public byte[] OutsideHash { get; }

    public byte[] WalHash { get; }

    public static ConnectionTarget Target(string relativePath) => new(Guid.CreateVersion7(), ConnectionSettings.Sqlite(relativePath), null);

    public static byte[] Hash(string path) => SHA256.HashData(File.ReadAllBytes(path));

    /// <summary>Every file and link under the root, to see that nothing was created (no journal, no copy).</summary>
    public string[] Listing() =>
        [.. Directory.EnumerateFileSystemEntries(Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(path => Path.GetRelativePath(Root, path))
            .Order(StringComparer.Ordinal)];

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static void CreateSample(string path) =>
        CreateDatabase(path, """
            CREATE TABLE sales (id INTEGER PRIMARY KEY AUTOINCREMENT, region TEXT NOT NULL, amount REAL, note);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
            INSERT INTO sales (region, amount, note) SELECT CASE i % 3 WHEN 0 THEN 'north' WHEN 1 THEN 'south' ELSE 'west' END, i * 1.5, 'row ' || i FROM n;
            CREATE TABLE people (name varchar(40) NOT NULL, born date, photo BLOB);
            INSERT INTO people VALUES ('Ada', '1815-12-10', x'00ff'), ('Alan', NULL, NULL);
            CREATE VIEW big_sales AS SELECT id, amount FROM sales WHERE amount > 1000;
            CREATE INDEX sales_region ON sales (region);
            """);

    private static void CreateDatabase(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
