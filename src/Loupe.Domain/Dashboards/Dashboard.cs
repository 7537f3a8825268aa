using Loupe.Domain.Common;
using Loupe.Domain.Queries;
using Loupe.Domain.Queries.Parameters;

namespace Loupe.Domain.Dashboards;

/// <summary>
/// A page of tiles an organization keeps: visualizations and Markdown text on a 24-column grid
/// (<see cref="DashboardGrid"/>), with parameters it declares and maps onto its tiles' queries
/// (<see cref="DashboardParameters"/>). Every change of its content is kept as a new
/// <see cref="DashboardVersion"/>; restoring a version records a new one. Archiving hides it
/// without losing anything; an archived dashboard is read-only until restored.
/// </summary>
/// <remarks>
/// That each visualization belongs to the same organization is the caller's to establish: it reads
/// <see cref="VisualizationIds"/> (or the ids of the tiles it is given) and passes the parameters of
/// each one's query, leaving out those the organization does not have.
/// </remarks>
public sealed class Dashboard : ArchivableAggregateRoot, ITenantOwned
{
    public const int NameMaxLength = 255;
    public const int DescriptionMaxLength = 2_000;

    // The versions this instance recorded, saved with it; loading a dashboard does not read its history.
    private readonly List<DashboardVersion> _versions = [];

    private Dashboard(Guid id, Guid organizationId, string name, Guid? ownerId, DateTimeOffset createdAt)
        : base(id, createdAt)
    {
        OrganizationId = organizationId;
        Name = name;
        OwnerId = ownerId;
        CreatedAt = createdAt;
        Tags = [];
        Tiles = [];
        Parameters = [];
        ParameterMappings = [];
    }

    public Guid OrganizationId { get; private set; }

    public string Name { get; private set; }

    public string? Description { get; private set; }

    /// <summary>Normalized as query tags are (<see cref="QueryTags"/>).</summary>
    public IReadOnlyList<string> Tags { get; private set; }

    public IReadOnlyList<DashboardTile> Tiles { get; private set; }

    public IReadOnlyList<ParameterDefinition> Parameters { get; private set; }

    public IReadOnlyList<ParameterMapping> ParameterMappings { get; private set; }

    /// <summary>Who created it; null once that user has been removed from the organization.</summary>
    public Guid? OwnerId { get; private set; }

    /// <summary>The number of the current version.</summary>
    public int LatestVersion { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The stored row's version, set by the store on every save; clients send it back (<c>If-Match</c>).</summary>
    public uint RowVersion { get; private set; }

    protected override DomainError ArchivedError => DashboardErrors.Archived;

    /// <summary>The versions recorded since this instance was loaded or created, saved with it.</summary>
    public IReadOnlyList<DashboardVersion> NewVersions => _versions;

    /// <summary>The visualizations the tiles show, each once.</summary>
    public IReadOnlySet<Guid> VisualizationIds => VisualizationIdsOf(Tiles);

    /// <summary>The visualizations some tiles show, each once: what the caller checks belongs to the organization.</summary>
    public static IReadOnlySet<Guid> VisualizationIdsOf(IEnumerable<DashboardTile?> tiles) =>
        (tiles ?? throw new ArgumentNullException(nameof(tiles)))
            .Where(t => t is { Kind: TileKind.Visualization, VisualizationId: not null })
            .Select(t => t!.VisualizationId!.Value)
            .ToHashSet();

    /// <summary>A new dashboard at version 1.</summary>
    /// <param name="queryParameters">The parameters of the query of each visualization of the organization among <paramref name="tiles"/>.</param>
    public static Dashboard Create(
        Guid id,
        Guid organizationId,
        Guid ownerId,
        string name,
        string? description,
        IEnumerable<string?>? tags,
        IReadOnlyList<DashboardTile?> tiles,
        IReadOnlyList<ParameterDefinition?> parameters,
        IReadOnlyList<ParameterMapping?> mappings,
        IReadOnlyDictionary<Guid, IReadOnlyList<ParameterDefinition>> queryParameters,
        DateTimeOffset now)
    {
        if (organizationId == Guid.Empty)
        {
            throw new ArgumentException("A dashboard belongs to an organization.", nameof(organizationId));
        }

        var dashboard = new Dashboard(id, organizationId, CheckName(name), ownerId, now)
        {
            Description = CheckDescription(description),
            Tags = CheckTags(tags),
            LatestVersion = 1,
        };
        (dashboard.Tiles, dashboard.Parameters, dashboard.ParameterMappings) = CheckLayout(tiles, parameters, mappings, queryParameters);
        dashboard._versions.Add(DashboardVersion.Of(dashboard, ownerId, now));
        return dashboard;
    }

    /// <summary>Changes the name, description and tags; a change records a new version.</summary>
    /// <param name="description">Null or blank removes the description.</param>
    /// <returns>Whether a new version was recorded.</returns>
    public bool Describe(string name, string? description, IEnumerable<string?>? tags, Guid? by, DateTimeOffset now)
    {
        EnsureActive();
        var checkedName = CheckName(name);
        var checkedDescription = CheckDescription(description);
        var checkedTags = CheckTags(tags);
        if (checkedName == Name && checkedDescription == Description && checkedTags.SequenceEqual(Tags, StringComparer.Ordinal))
        {
            return false;
        }

        Name = checkedName;
        Description = checkedDescription;
        Tags = checkedTags;
        return Record(by, now);
    }

    /// <summary>Replaces the tiles, parameters and mappings together; a change records a new version.</summary>
    /// <param name="queryParameters">The parameters of the query of each visualization of the organization among <paramref name="tiles"/>.</param>
    /// <returns>Whether a new version was recorded.</returns>
    public bool ChangeLayout(
        IReadOnlyList<DashboardTile?> tiles,
        IReadOnlyList<ParameterDefinition?> parameters,
        IReadOnlyList<ParameterMapping?> mappings,
        IReadOnlyDictionary<Guid, IReadOnlyList<ParameterDefinition>> queryParameters,
        Guid? by,
        DateTimeOffset now)
    {
        EnsureActive();
        var (checkedTiles, checkedParameters, checkedMappings) = CheckLayout(tiles, parameters, mappings, queryParameters);
        if (checkedTiles.SequenceEqual(Tiles) && checkedParameters.SequenceEqual(Parameters) && checkedMappings.SequenceEqual(ParameterMappings))
        {
            return false;
        }

        Tiles = checkedTiles;
        Parameters = checkedParameters;
        ParameterMappings = checkedMappings;
        return Record(by, now);
    }

    /// <summary>
    /// Changes the name, description, tags, tiles, parameters and mappings at once, as one new
    /// version (one edit of a client that changes both is one step of history); the same content
    /// again records nothing.
    /// </summary>
    /// <param name="description">Null or blank removes the description.</param>
    /// <param name="queryParameters">The parameters of the query of each visualization of the organization among <paramref name="tiles"/>.</param>
    /// <returns>Whether a new version was recorded.</returns>
    public bool Revise(
        string name,
        string? description,
        IEnumerable<string?>? tags,
        IReadOnlyList<DashboardTile?> tiles,
        IReadOnlyList<ParameterDefinition?> parameters,
        IReadOnlyList<ParameterMapping?> mappings,
        IReadOnlyDictionary<Guid, IReadOnlyList<ParameterDefinition>> queryParameters,
        Guid? by,
        DateTimeOffset now)
    {
        EnsureActive();
        var checkedName = CheckName(name);
        var checkedDescription = CheckDescription(description);
        var checkedTags = CheckTags(tags);
        var (checkedTiles, checkedParameters, checkedMappings) = CheckLayout(tiles, parameters, mappings, queryParameters);
        if (checkedName == Name && checkedDescription == Description && checkedTags.SequenceEqual(Tags, StringComparer.Ordinal)
            && checkedTiles.SequenceEqual(Tiles) && checkedParameters.SequenceEqual(Parameters) && checkedMappings.SequenceEqual(ParameterMappings))
        {
            return false;
        }

        Name = checkedName;
        Description = checkedDescription;
        Tags = checkedTags;
        Tiles = checkedTiles;
        Parameters = checkedParameters;
        ParameterMappings = checkedMappings;
        return Record(by, now);
    }

    /// <summary>
    /// Makes an earlier version current again, as a new version; nothing changes when it is the
    /// current content already. Its mappings are checked again against the queries as they are now.
    /// </summary>
    /// <returns>Whether a new version was recorded.</returns>
    public bool RestoreVersion(
        DashboardVersion version, IReadOnlyDictionary<Guid, IReadOnlyList<ParameterDefinition>> queryParameters, Guid? by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (version.DashboardId != Id)
        {
            throw new ArgumentException("The version is another dashboard's.", nameof(version));
        }

        EnsureActive();
        var (tiles, parameters, mappings) = CheckLayout([.. version.Tiles], [.. version.Parameters], [.. version.ParameterMappings], queryParameters);
        if (version.Name == Name && version.Description == Description && version.Tags.SequenceEqual(Tags, StringComparer.Ordinal)
            && tiles.SequenceEqual(Tiles) && parameters.SequenceEqual(Parameters) && mappings.SequenceEqual(ParameterMappings))
        {
            return false;
        }

        Name = version.Name;
        Description = version.Description;
        Tags = version.Tags;
        Tiles = tiles;
        Parameters = parameters;
        ParameterMappings = mappings;
        return Record(by, now);
    }

    private bool Record(Guid? by, DateTimeOffset now)
    {
        LatestVersion++;
        UpdatedAt = now;
        _versions.Add(DashboardVersion.Of(this, by, now));
        return true;
    }

    private static (DashboardTile[] Tiles, ParameterDefinition[] Parameters, ParameterMapping[] Mappings) CheckLayout(
        IReadOnlyList<DashboardTile?> tiles,
        IReadOnlyList<ParameterDefinition?> parameters,
        IReadOnlyList<ParameterMapping?> mappings,
        IReadOnlyDictionary<Guid, IReadOnlyList<ParameterDefinition>> queryParameters)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(mappings);
        ArgumentNullException.ThrowIfNull(queryParameters);
        if (DashboardGrid.Check(tiles) is [var tileError, ..])
        {
            throw new DomainException(tileError);
        }

        var checkedTiles = tiles.Select(t => t!).ToArray();
        for (var i = 0; i < checkedTiles.Length; i++)
        {
            if (checkedTiles[i] is { Kind: TileKind.Visualization, VisualizationId: { } visualizationId } && !queryParameters.ContainsKey(visualizationId))
            {
                throw new DomainException(DashboardErrors.VisualizationNotFound($"tiles[{i}].visualization_id"));
            }
        }

        if (DashboardParameters.CheckDeclared(parameters) is [var parameterError, ..])
        {
            throw new DomainException(parameterError);
        }

        var checkedParameters = parameters.Select(p => p!).ToArray();
        if (DashboardParameters.CheckMappings(mappings, checkedTiles, checkedParameters, queryParameters) is [var mappingError, ..])
        {
            throw new DomainException(mappingError);
        }

        return (checkedTiles, checkedParameters, [.. mappings.Select(m => m!)]);
    }

    private static string CheckName(string? name) =>
        ItemText.Name(name, NameMaxLength, DashboardErrors.NameRequired, DashboardErrors.NameTooLong, DashboardErrors.NulCharacter);

    private static string? CheckDescription(string? description) =>
        ItemText.Description(description, DescriptionMaxLength, DashboardErrors.DescriptionTooLong, DashboardErrors.NulCharacter);

    // The rules and normal form of query tags, under the dashboard's own codes.
    private static string[] CheckTags(IEnumerable<string?>? tags) => QueryTags.Check(tags) switch
    {
        null => QueryTags.Normalize(tags),
        var error when error == SavedQueryErrors.TooManyTags => throw new DomainException(DashboardErrors.TooManyTags),
        _ => throw new DomainException(DashboardErrors.TagInvalid),
    };
}
