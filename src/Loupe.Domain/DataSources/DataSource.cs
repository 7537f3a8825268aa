using Loupe.Domain.Common;

namespace Loupe.Domain.DataSources;

/// <summary>
/// A database an organization queries. Its connection settings are plain; its password is kept
/// encrypted and is never given back, only whether there is one. The type is fixed at creation.
/// </summary>
public sealed class DataSource : AggregateRoot, ITenantOwned
{
    public const int NameMaxLength = 100;
    public const int DefaultQueryTimeoutSeconds = 300;
    public const int DefaultMaxRows = 100_000;
    public const int MaxRowsLimit = 10_000_000;

    private DataSource(
        Guid id, Guid organizationId, string name, ConnectionSettings settings, int queryTimeoutSeconds, int maxRows, DateTimeOffset createdAt)
        : base(id)
    {
        OrganizationId = organizationId;
        Name = name;
        Settings = settings;
        QueryTimeoutSeconds = queryTimeoutSeconds;
        MaxRows = maxRows;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    private string? _passwordKeyId;
    private byte[]? _passwordCipher;

    /// <summary>For the persistence layer, which sets the settings and the password from the stored row.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE0051", Justification = "EF Core materializes stored rows through it.")]
    private DataSource(Guid id, Guid organizationId, string name, int queryTimeoutSeconds, int maxRows, DateTimeOffset createdAt)
        : base(id)
    {
        OrganizationId = organizationId;
        Name = name;
        Settings = null!;
        QueryTimeoutSeconds = queryTimeoutSeconds;
        MaxRows = maxRows;
        CreatedAt = createdAt;
    }

    public Guid OrganizationId { get; private set; }

    public string Name { get; private set; }

    /// <summary>Fixed at creation: new settings must be of the same type.</summary>
    public DataSourceType Type => Settings.Type;

    public ConnectionSettings Settings { get; private set; }

    /// <summary>The encrypted password, or null when there is none (always null for SQLite).</summary>
    public EncryptedSecret? Password
    {
        get => _passwordCipher is null || _passwordKeyId is null ? null : EncryptedSecret.Create(_passwordKeyId, _passwordCipher);
        private set
        {
            _passwordKeyId = value?.KeyId;
            _passwordCipher = value?.CipherText.ToArray();
        }
    }

    public bool HasPassword => _passwordCipher is not null;

    public int QueryTimeoutSeconds { get; private set; }

    public int MaxRows { get; private set; }

    /// <summary>
    /// An admin's explicit opt-in to run queries with a privileged account (see <see cref="PrivilegedAccounts"/>);
    /// off by default, and the guard applies either way.
    /// </summary>
    public bool AllowPrivilegedAccount { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>
    /// The stored row's version, set by the store on every save. Clients send it back (HTTP
    /// <c>If-Match</c>) so that a change based on a stale copy is refused.
    /// </summary>
    public uint RowVersion { get; private set; }

    /// <param name="queryTimeoutSeconds">Null: the default of <paramref name="limits"/> (300 seconds).</param>
    /// <param name="maxRows">Null: 100,000.</param>
    public static DataSource Create(
        Guid id,
        Guid organizationId,
        string name,
        ConnectionSettings settings,
        EncryptedSecret? password,
        DataSourceLimits limits,
        DateTimeOffset now,
        int? queryTimeoutSeconds = null,
        int? maxRows = null,
        bool allowPrivilegedAccount = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(limits);
        if (organizationId == Guid.Empty)
        {
            throw new ArgumentException("A data source belongs to an organization.", nameof(organizationId));
        }

        var dataSource = new DataSource(
            id,
            organizationId,
            CheckName(name),
            settings,
            CheckQueryTimeout(queryTimeoutSeconds ?? limits.DefaultQueryTimeoutSeconds, limits),
            CheckMaxRows(maxRows ?? DefaultMaxRows),
            now)
        {
            AllowPrivilegedAccount = allowPrivilegedAccount,
        };
        if (password is not null)
        {
            dataSource.Password = CheckPasswordAllowed(settings.Type, password);
        }

        return dataSource;
    }

    public void Rename(string name, DateTimeOffset now)
    {
        var checkedName = CheckName(name);
        if (checkedName == Name)
        {
            return;
        }

        Name = checkedName;
        UpdatedAt = now;
    }

    /// <summary>
    /// New connection settings of the same type, and what happens to the stored password. Every
    /// setting says where the password goes (PostgreSQL: host, port, database, user name and SSL mode;
    /// SQLite: the file path), so settings that differ in any of them may not take the stored password
    /// along: the change must give the password again or clear it, otherwise it is refused with
    /// <see cref="DataSourceErrors.PasswordRequired"/> (an admin, or a stolen admin session, could
    /// otherwise send the password to a server of their choosing). Unchanged settings keep it.
    /// </summary>
    public void ChangeConnection(ConnectionSettings settings, PasswordChange password, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(password);
        if (settings.Type != Type)
        {
            throw new DomainException(DataSourceErrors.TypeCannotChange);
        }

        if (password.Kind == PasswordChangeKind.Keep && HasPassword && PasswordFollowsTo(settings))
        {
            throw new DomainException(DataSourceErrors.PasswordRequired);
        }

        if (settings != Settings)
        {
            Settings = settings;
            UpdatedAt = now;
        }

        switch (password.Kind)
        {
            case PasswordChangeKind.Set:
                ReplacePassword(password.Secret!, now);
                break;
            case PasswordChangeKind.Clear:
                ClearPassword(now);
                break;
            case PasswordChangeKind.Keep:
            default:
                break;
        }
    }

    /// <summary>True when <paramref name="settings"/> would send the stored password anywhere other than the current settings do.</summary>
    public bool PasswordFollowsTo(ConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings != Settings;
    }

    /// <summary>
    /// A data source that saved queries use (archived ones included) cannot be deleted: saved SQL is
    /// never lost with its data source. Throws <see cref="DataSourceErrors.InUse"/> naming how many to move first.
    /// </summary>
    /// <param name="savedQueries">The organization's saved queries on this data source, archived ones included.</param>
    /// <param name="archivedSavedQueries">How many of those are archived.</param>
    public static void EnsureCanBeDeleted(int savedQueries, int archivedSavedQueries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(savedQueries);
        ArgumentOutOfRangeException.ThrowIfNegative(archivedSavedQueries);
        if (savedQueries > 0)
        {
            throw new DomainException(DataSourceErrors.InUse(savedQueries, Math.Min(archivedSavedQueries, savedQueries)));
        }
    }

    public void ChangeLimits(int queryTimeoutSeconds, int maxRows, DataSourceLimits limits, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var timeout = CheckQueryTimeout(queryTimeoutSeconds, limits);
        var rows = CheckMaxRows(maxRows);
        if (timeout == QueryTimeoutSeconds && rows == MaxRows)
        {
            return;
        }

        QueryTimeoutSeconds = timeout;
        MaxRows = rows;
        UpdatedAt = now;
    }

    /// <summary>Turns the opt-in to a privileged account on or off; true when it changed.</summary>
    public bool ChangePrivilegedAccountPolicy(bool allow, DateTimeOffset now)
    {
        if (allow == AllowPrivilegedAccount)
        {
            return false;
        }

        AllowPrivilegedAccount = allow;
        UpdatedAt = now;
        return true;
    }

    /// <summary>Stores a newly encrypted password (also used to re-encrypt under a new key).</summary>
    public void ReplacePassword(EncryptedSecret password, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(password);
        Password = CheckPasswordAllowed(Type, password);
        UpdatedAt = now;
    }

    public void ClearPassword(DateTimeOffset now)
    {
        if (Password is null)
        {
            return;
        }

        Password = null;
        UpdatedAt = now;
    }

    private static EncryptedSecret CheckPasswordAllowed(DataSourceType type, EncryptedSecret password) =>
        type == DataSourceType.Sqlite ? throw new DomainException(DataSourceErrors.PasswordNotSupported) : password;

    private static string CheckName(string name)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            throw new DomainException(DataSourceErrors.NameRequired);
        }

        if (trimmed.Length > NameMaxLength)
        {
            throw new DomainException(DataSourceErrors.NameTooLong);
        }

        return trimmed;
    }

    private static int CheckQueryTimeout(int seconds, DataSourceLimits limits) =>
        seconds >= 1 && seconds <= limits.MaxQueryTimeoutSeconds
            ? seconds
            : throw new DomainException(DataSourceErrors.QueryTimeoutOutOfRange(limits.MaxQueryTimeoutSeconds));

    private static int CheckMaxRows(int maxRows) =>
        maxRows is >= 1 and <= MaxRowsLimit ? maxRows : throw new DomainException(DataSourceErrors.MaxRowsOutOfRange);
}
