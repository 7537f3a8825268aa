using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Runs;

namespace Loupe.Domain.Queries;

/// <summary>
/// A named SQL text an organization keeps, with its parameters, tags and data source. Its SQL
/// always passes the safety check, its placeholders and parameters always match
/// (<see cref="QueryParameters.Check"/>), and every change of SQL or parameters is kept as a new
/// <see cref="SavedQueryVersion"/>. Archiving hides it from lists without losing anything; an
/// archived query is read-only until restored. Names need not be unique.
/// </summary>
public sealed class SavedQuery : ArchivableAggregateRoot, ITenantOwned
{
    public const int NameMaxLength = 255;
    public const int DescriptionMaxLength = 2_000;
    public const int SqlMaxLength = 100_000;
    public const string ForkPrefix = "Copy of ";

    // The versions this instance recorded, saved with it. Loading a query does not read its history:
    // versions are listed by a read of their own.
    private readonly List<SavedQueryVersion> _versions = [];

    private SavedQuery(
        Guid id,
        Guid organizationId,
        string name,
        string? description,
        string sql,
        Guid dataSourceId,
        int? timeoutSeconds,
        Guid? ownerId,
        int latestVersion,
        DateTimeOffset createdAt,
        DateTimeOffset updatedAt)
        : base(id, updatedAt)
    {
        OrganizationId = organizationId;
        Name = name;
        Description = description;
        Sql = sql;
        DataSourceId = dataSourceId;
        TimeoutSeconds = timeoutSeconds;
        OwnerId = ownerId;
        LatestVersion = latestVersion;
        CreatedAt = createdAt;
        Parameters = [];
        Tags = [];
    }

    public Guid OrganizationId { get; private set; }

    public string Name { get; private set; }

    public string? Description { get; private set; }

    /// <summary>The SQL as written, with its <c>{{ name }}</c> placeholders.</summary>
    public string Sql { get; private set; }

    public IReadOnlyList<ParameterDefinition> Parameters { get; private set; }

    /// <summary>Normalized by <see cref="QueryTags"/>.</summary>
    public IReadOnlyList<string> Tags { get; private set; }

    public Guid DataSourceId { get; private set; }

    /// <summary>At most the data source's timeout; null: the data source's.</summary>
    public int? TimeoutSeconds { get; private set; }

    /// <summary>Who created (or forked) it; null once that user has been removed from the organization.</summary>
    public Guid? OwnerId { get; private set; }

    /// <summary>The number of the current version of the SQL and parameters.</summary>
    public int LatestVersion { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The query this one was forked from; null when it was written anew. Kept as written even if that query is gone.</summary>
    public Guid? ForkedFromQueryId { get; private set; }

    /// <summary>The version of <see cref="ForkedFromQueryId"/> it was forked from.</summary>
    public int? ForkedFromVersion { get; private set; }

    /// <summary>
    /// The stored row's version, set by the store on every save. Clients send it back (HTTP
    /// <c>If-Match</c>) so that a change based on a stale copy is refused.
    /// </summary>
    public uint RowVersion { get; private set; }

    protected override DomainError ArchivedError => SavedQueryErrors.Archived;

    /// <summary>The versions recorded since this instance was loaded or created, saved with it.</summary>
    public IReadOnlyList<SavedQueryVersion> NewVersions => _versions;

    /// <summary>A new query at version 1, owned by <paramref name="ownerId"/>, on a data source of the same organization.</summary>
    public static SavedQuery Create(
        Guid id,
        Guid organizationId,
        Guid ownerId,
        string name,
        string? description,
        string sql,
        IReadOnlyList<ParameterDefinition> parameters,
        IEnumerable<string?>? tags,
        DataSource dataSource,
        int? timeoutSeconds,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(dataSource);
        if (organizationId == Guid.Empty)
        {
            throw new ArgumentException("A query belongs to an organization.", nameof(organizationId));
        }

        CheckSql(sql, parameters);
        var query = new SavedQuery(
            id,
            organizationId,
            CheckName(name),
            CheckDescription(description),
            sql,
            CheckDataSource(dataSource, organizationId).Id,
            CheckTimeout(timeoutSeconds, dataSource),
            ownerId,
            1,
            now,
            now)
        {
            Parameters = [.. parameters],
            Tags = QueryTags.Normalize(tags),
        };
        query._versions.Add(SavedQueryVersion.Of(query, ownerId, now));
        return query;
    }

    public void Rename(string name, DateTimeOffset now)
    {
        EnsureActive();
        var checkedName = CheckName(name);
        if (checkedName != Name)
        {
            Name = checkedName;
            UpdatedAt = now;
        }
    }

    /// <param name="description">Null or blank removes the description.</param>
    public void Describe(string? description, DateTimeOffset now)
    {
        EnsureActive();
        var checkedDescription = CheckDescription(description);
        if (checkedDescription != Description)
        {
            Description = checkedDescription;
            UpdatedAt = now;
        }
    }

    public void Retag(IEnumerable<string?> tags, DateTimeOffset now)
    {
        EnsureActive();
        var normalized = QueryTags.Normalize(tags);
        if (!normalized.SequenceEqual(Tags, StringComparer.Ordinal))
        {
            Tags = normalized;
            UpdatedAt = now;
        }
    }

    /// <summary>
    /// Replaces the SQL and parameters together (they must match each other). When either changes,
    /// a new version is recorded, by <paramref name="by"/>; the same text again records nothing.
    /// </summary>
    /// <returns>Whether a new version was recorded.</returns>
    public bool Revise(string sql, IReadOnlyList<ParameterDefinition> parameters, Guid? by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        EnsureActive();
        CheckSql(sql, parameters);
        if (sql == Sql && parameters.SequenceEqual(Parameters))
        {
            return false;
        }

        Sql = sql;
        Parameters = [.. parameters];
        LatestVersion++;
        UpdatedAt = now;
        _versions.Add(SavedQueryVersion.Of(this, by, now));
        return true;
    }

    /// <summary>Runs the query on <paramref name="dataSource"/> (the same one, or another of the organization) with this timeout.</summary>
    /// <param name="timeoutSeconds">Null: the data source's timeout.</param>
    public void ChangeDataSource(DataSource dataSource, int? timeoutSeconds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        EnsureActive();
        var dataSourceId = CheckDataSource(dataSource, OrganizationId).Id;
        var timeout = CheckTimeout(timeoutSeconds, dataSource);
        if (dataSourceId != DataSourceId || timeout != TimeoutSeconds)
        {
            DataSourceId = dataSourceId;
            TimeoutSeconds = timeout;
            UpdatedAt = now;
        }
    }

    /// <summary>
    /// A copy owned by <paramref name="ownerId"/>, active, with the description, tags, data source and
    /// timeout of this query and the SQL and parameters of <paramref name="version"/> (null: the
    /// current ones); its history starts again at version 1 and it records what it was forked from.
    /// </summary>
    /// <param name="name">The copy's name; null: <see cref="CopyName"/> of this query's name among <paramref name="takenNames"/>.</param>
    /// <param name="takenNames">The organization's query names that a default name must not repeat.</param>
    public SavedQuery Fork(
        Guid id, Guid ownerId, DateTimeOffset now, string? name = null, SavedQueryVersion? version = null, IReadOnlyCollection<string>? takenNames = null)
    {
        if (version is not null && version.QueryId != Id)
        {
            throw new ArgumentException("The version is another query's.", nameof(version));
        }

        var copy = new SavedQuery(
            id,
            OrganizationId,
            name is null ? CopyName(Name, takenNames ?? []) : CheckName(name),
            Description,
            version?.Sql ?? Sql,
            DataSourceId,
            TimeoutSeconds,
            ownerId,
            1,
            now,
            now)
        {
            Parameters = version?.Parameters ?? Parameters,
            Tags = Tags,
            ForkedFromQueryId = Id,
            ForkedFromVersion = version?.Number ?? LatestVersion,
        };
        copy._versions.Add(SavedQueryVersion.Of(copy, ownerId, now));
        return copy;
    }

    /// <summary>
    /// The default name of a copy: "Copy of X", or when the organization has that name already
    /// "Copy of X (2)", "Copy of X (3)", … the first one free (compared without regard to case);
    /// shortened so that it fits <see cref="NameMaxLength"/> with its suffix.
    /// </summary>
    public static string CopyName(string name, IReadOnlyCollection<string> takenNames)
    {
        ArgumentNullException.ThrowIfNull(takenNames);
        var taken = new HashSet<string>(takenNames, StringComparer.OrdinalIgnoreCase);
        for (var n = 1; ; n++)
        {
            var suffix = n == 1 ? string.Empty : string.Create(System.Globalization.CultureInfo.InvariantCulture, $" ({n})");
            var stem = ForkPrefix + name;
            var room = NameMaxLength - suffix.Length;
            var candidate = (stem.Length <= room ? stem : stem[..room].TrimEnd()) + suffix;
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>
    /// Makes an earlier version's SQL and parameters current again, as a new version (by
    /// <paramref name="by"/>); nothing changes when they are the current ones already.
    /// </summary>
    /// <returns>Whether a new version was recorded.</returns>
    public bool RestoreVersion(SavedQueryVersion version, Guid? by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (version.QueryId != Id)
        {
            throw new ArgumentException("The version is another query's.", nameof(version));
        }

        return Revise(version.Sql, version.Parameters, by, now);
    }

    /// <summary>
    /// The timeout a run uses: the query's own, never more than the data source allows now (its
    /// timeout may have been lowered since the query was saved).
    /// </summary>
    public int EffectiveTimeoutSeconds(DataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return RunTimeout.For(dataSource, saved: TimeoutSeconds);
    }

    private static string CheckName(string? name) =>
        ItemText.Name(name, NameMaxLength, SavedQueryErrors.NameRequired, SavedQueryErrors.NameTooLong, SavedQueryErrors.NulCharacter);

    private static string? CheckDescription(string? description) =>
        ItemText.Description(description, DescriptionMaxLength, SavedQueryErrors.DescriptionTooLong, SavedQueryErrors.NulCharacter);

    private static void CheckSql(string sql, IReadOnlyList<ParameterDefinition> parameters)
    {
        if (string.IsNullOrEmpty(sql))
        {
            throw new DomainException(SavedQueryErrors.SqlRequired);
        }

        if (sql.Length > SqlMaxLength)
        {
            throw new DomainException(SavedQueryErrors.SqlTooLong);
        }

        if (sql.Contains('\0', StringComparison.Ordinal))
        {
            throw new DomainException(SavedQueryErrors.NulCharacter("sql"));
        }

        if (QueryParameters.Check(sql, parameters) is [var first, ..])
        {
            throw new DomainException(first);
        }
    }

    private static DataSource CheckDataSource(DataSource dataSource, Guid organizationId) =>
        dataSource.OrganizationId == organizationId ? dataSource : throw new DomainException(SavedQueryErrors.DataSourceNotFound);

    private static int? CheckTimeout(int? timeoutSeconds, DataSource dataSource) =>
        RunTimeout.CheckSaved(timeoutSeconds, dataSource) is { } error ? throw new DomainException(error) : timeoutSeconds;
}
