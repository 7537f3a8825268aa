using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Loupe.Infrastructure.Persistence.Migrations;

/// <summary>
/// One pair of files from <c>migrations/</c> (<c>NNNN_name.up.sql</c> and <c>NNNN_name.down.sql</c>),
/// embedded in this assembly. Its <see cref="Id"/> is the EF Core migration id: the number padded to
/// the fourteen digits EF expects, so ordinal order is numeric order.
/// </summary>
public sealed partial record MigrationScript(int Number, string Name, string Up, string Down)
{
    private const string ResourcePrefix = "migrations/";

    private static readonly Lazy<IReadOnlyList<MigrationScript>> Embedded = new(LoadEmbedded);

    public static IReadOnlyList<MigrationScript> All => Embedded.Value;

    public string FileStem => $"{Number:D4}_{Name}";

    public string Id => $"{Number.ToString("D14", CultureInfo.InvariantCulture)}_{Name}";

    /// <summary>SHA-256 of both scripts with line endings normalized: editing either is drift.</summary>
    public string Checksum
    {
        get
        {
            var text = Normalize(Up) + "\n-- down --\n" + Normalize(Down);
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        }
    }

    public static MigrationScript ForId(string id) =>
        All.SingleOrDefault(s => s.Id == id)
        ?? throw new InvalidOperationException($"No SQL files are embedded for migration '{id}'.");

    private static string Normalize(string sql) => sql.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();

    private static List<MigrationScript> LoadEmbedded()
    {
        var assembly = typeof(MigrationScript).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => (Resource: n, Match: FileName().Match(n[ResourcePrefix.Length..])))
            .ToList();

        var malformed = files.Where(f => !f.Match.Success).Select(f => f.Resource).ToList();
        if (malformed.Count > 0)
        {
            throw new InvalidOperationException(
                $"Migration files must be named NNNN_name.up.sql / NNNN_name.down.sql: {string.Join(", ", malformed)}");
        }

        return files
            .GroupBy(f => (Number: int.Parse(f.Match.Groups["number"].Value, CultureInfo.InvariantCulture), Name: f.Match.Groups["name"].Value))
            .OrderBy(g => g.Key.Number)
            .Select(g =>
            {
                var up = g.SingleOrDefault(f => f.Match.Groups["direction"].Value == "up").Resource;
                var down = g.SingleOrDefault(f => f.Match.Groups["direction"].Value == "down").Resource;
                if (up is null || down is null)
                {
                    throw new InvalidOperationException($"Migration {g.Key.Number:D4}_{g.Key.Name} needs both an up and a down script.");
                }

                return new MigrationScript(g.Key.Number, g.Key.Name, Read(assembly, up), Read(assembly, down));
            })
            .ToList();
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(?<number>\d{4})_(?<name>[a-z0-9_]+)\.(?<direction>up|down)\.sql$")]
    private static partial Regex FileName();
}
