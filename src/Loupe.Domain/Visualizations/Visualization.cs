using System.Text.Json;
using Loupe.Domain.Common;
using Loupe.Domain.Queries;

namespace Loupe.Domain.Visualizations;

/// <summary>
/// A chart or table drawn from one saved query's result: its <see cref="Type"/> and the typed
/// <see cref="Options"/> that type reads (<see cref="VisualizationOptionsParser"/>). Archiving hides
/// it without losing anything; an archived visualization is read-only until restored.
/// </summary>
/// <remarks>
/// That the options name only columns of the query's latest result is the caller's to check
/// (<see cref="ColumnReferences.Missing"/>): the result lives outside the aggregate, and a query
/// that was never run has no columns to check against.
/// </remarks>
public sealed class Visualization : ArchivableAggregateRoot, ITenantOwned
{
    public const int NameMaxLength = 255;
    public const int DescriptionMaxLength = 2_000;

    // The options as stored (the JSON the options write); read back through the parser on first use.
    private string _optionsJson;
    private VisualizationOptions? _options;

    // Every parameter is a stored column, so the store can construct it too; the options come after (from Create, or from the column).
    private Visualization(
        Guid id, Guid organizationId, Guid queryId, string name, VisualizationType type, Guid? ownerId, DateTimeOffset createdAt)
        : base(id, createdAt)
    {
        OrganizationId = organizationId;
        QueryId = queryId;
        Name = name;
        Type = type;
        _optionsJson = string.Empty;
        OwnerId = ownerId;
        CreatedAt = createdAt;
        Tags = [];
    }

    public Guid OrganizationId { get; private set; }

    /// <summary>The saved query whose result it draws; fixed for its lifetime.</summary>
    public Guid QueryId { get; private set; }

    public string Name { get; private set; }

    public string? Description { get; private set; }

    public VisualizationType Type { get; private set; }

    /// <summary>The options of <see cref="Type"/>; changing the type means sending options for it.</summary>
    public VisualizationOptions Options
    {
        get
        {
            if (_options is null)
            {
                using var document = JsonDocument.Parse(_optionsJson);
                _options = VisualizationOptionsParser.Parse(Type, document.RootElement);
            }

            return _options;
        }
    }

    /// <summary>Normalized as query tags are (<see cref="QueryTags"/>).</summary>
    public IReadOnlyList<string> Tags { get; private set; }

    /// <summary>Who created it; null once that user has been removed from the organization.</summary>
    public Guid? OwnerId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The stored row's version, set by the store on every save; clients send it back (<c>If-Match</c>).</summary>
    public uint RowVersion { get; private set; }

    protected override DomainError ArchivedError => VisualizationErrors.Archived;

    /// <summary>A visualization of a query of the same organization; the query may not be archived.</summary>
    public static Visualization Create(
        Guid id,
        SavedQuery query,
        Guid ownerId,
        string? name,
        string? description,
        VisualizationOptions options,
        IEnumerable<string?>? tags,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(options);
        if (query.IsArchived)
        {
            throw new DomainException(VisualizationErrors.QueryArchived);
        }

        return new Visualization(id, query.OrganizationId, query.Id, CheckName(name), options.Type, ownerId, now)
        {
            _options = options,
            _optionsJson = options.ToJson(),
            Description = CheckDescription(description),
            Tags = Retagged(tags),
        };
    }

    public void Rename(string? name, DateTimeOffset now)
    {
        EnsureActive();
        var checkedName = CheckName(name);
        if (checkedName != Name)
        {
            Name = checkedName;
            UpdatedAt = now;
        }
    }

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

    /// <summary>Sets the type and options together (the options carry their type).</summary>
    public void Reconfigure(VisualizationOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        EnsureActive();
        if (options != Options)
        {
            Type = options.Type;
            _options = options;
            _optionsJson = options.ToJson();
            UpdatedAt = now;
        }
    }

    public void Retag(IEnumerable<string?> tags, DateTimeOffset now)
    {
        EnsureActive();
        var normalized = Retagged(tags);
        if (!normalized.SequenceEqual(Tags, StringComparer.Ordinal))
        {
            Tags = normalized;
            UpdatedAt = now;
        }
    }

    private static string CheckName(string? name) =>
        ItemText.Name(name, NameMaxLength, VisualizationErrors.NameRequired, VisualizationErrors.NameTooLong, VisualizationErrors.NulCharacter);

    private static string? CheckDescription(string? description) =>
        ItemText.Description(description, DescriptionMaxLength, VisualizationErrors.DescriptionTooLong, VisualizationErrors.NulCharacter);

    /// <summary>What is wrong with these tags (the rules of query tags, under the visualization's own codes), or null.</summary>
    public static DomainError? CheckTags(IEnumerable<string?>? tags) => QueryTags.Check(tags) switch
    {
        null => null,
        var error when error == SavedQueryErrors.TooManyTags => VisualizationErrors.TooManyTags,
        _ => VisualizationErrors.TagInvalid,
    };

    private static string[] Retagged(IEnumerable<string?>? tags) =>
        CheckTags(tags) is { } error ? throw new DomainException(error) : QueryTags.Normalize(tags);
}
