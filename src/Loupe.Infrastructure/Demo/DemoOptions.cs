using Loupe.Domain.DataSources;

namespace Loupe.Infrastructure.Demo;

/// <summary>
/// The demo organization a fresh Development instance creates (<c>Demo</c>): where the demo shop
/// database is and how to reach it read-only. <c>build/run.sh</c> sets all of it. Checked only
/// when <see cref="Enabled"/>.
/// </summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>The sign-in of the demo organization's admin.</summary>
    public const string Email = "demo@loupe.local";

    public const string OrganizationName = "Demo";

    public const string AdminName = "Demo Admin";

    public const string DataSourceName = "Demo shop";

    /// <summary>Create the demo organization on the first start of a Development instance (<c>Demo:Enabled</c>).</summary>
    public bool Enabled { get; set; }

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = ConnectionSettings.DefaultPort;

    public string Database { get; set; } = "demo";

    public string Username { get; set; } = "loupe_demo_reader";

    /// <summary>The demo database role's password (<c>Demo:Password</c>, or a file through <c>Demo__Password_FILE</c>). A secret: never logged.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// Where the generated sign-in is written (owner-only), so that <c>build/run.sh</c> can show it
    /// again on later starts (<c>Demo:CredentialsFile</c>); none when unset.
    /// </summary>
    public string? CredentialsFile { get; set; }

    /// <summary>Never the password.</summary>
    public override string ToString() => $"{Username}@{Host}:{Port}/{Database}";

    internal IEnumerable<string> Problems()
    {
        if (!Enabled)
        {
            yield break;
        }

        foreach (var error in ConnectionSettings.CheckPostgresql(Host, Port, Database, Username, PostgresSslMode.Prefer))
        {
            yield return $"Demo:{KeyOf(error.Field)}: {error.Message}";
        }

        if (string.IsNullOrEmpty(Password))
        {
            yield return "Demo:Password is required when Demo:Enabled is true (or give it as a file with Demo__Password_FILE).";
        }

        if (CredentialsFile is not null && string.IsNullOrWhiteSpace(CredentialsFile))
        {
            yield return "Demo:CredentialsFile must be a file path when set.";
        }
    }

    /// <summary>The configuration key of a connection settings field (<c>settings.host</c> → <c>Host</c>).</summary>
    private static string KeyOf(string? field) => field switch
    {
        "settings.port" => nameof(Port),
        "settings.database" => nameof(Database),
        "settings.username" => nameof(Username),
        _ => nameof(Host),
    };
}
