using Loupe.Domain.Common;

namespace Loupe.Domain.Canvases;

/// <summary>
/// A free-form board of an organization: nodes (queries, visualizations, text, filters) placed on a
/// plane and joined by edges, shown over one time window. Its graph always keeps the rules of
/// <see cref="CanvasGraph"/>, and nodes and edges change together or not at all. Archiving hides it
/// from lists; an archived canvas is read-only until restored.
/// </summary>
public sealed class Canvas : ArchivableAggregateRoot, ITenantOwned
{
    public const int NameMaxLength = 255;
    public const int DescriptionMaxLength = 2_000;

    private Canvas(Guid id, Guid organizationId, string name, string? description, CanvasTimePreset timePreset, DateTimeOffset now)
        : base(id, now)
    {
        OrganizationId = organizationId;
        Name = name;
        Description = description;
        TimePreset = timePreset;
        Nodes = [];
        Edges = [];
        CreatedAt = now;
    }

    /// <summary>
    /// For the store, which binds these from the row and sets the time preset, nodes and edges
    /// (none of which a constructor parameter can take) through their setters.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE0051", Justification = "EF Core materializes stored rows through it.")]
    private Canvas(Guid id, Guid organizationId, string name, string? description, DateTimeOffset createdAt)
        : base(id, createdAt)
    {
        OrganizationId = organizationId;
        Name = name;
        Description = description;
        TimePreset = CanvasTimePreset.Relative(TimePresetKind.Last24Hours);
        Nodes = [];
        Edges = [];
        CreatedAt = createdAt;
    }

    public Guid OrganizationId { get; private set; }

    public string Name { get; private set; }

    public string? Description { get; private set; }

    public CanvasTimePreset TimePreset { get; private set; }

    public IReadOnlyList<CanvasNode> Nodes { get; private set; }

    public IReadOnlyList<CanvasEdge> Edges { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>
    /// The stored row's version, set by the store on every save. Clients send it back (HTTP
    /// <c>If-Match</c>) so that a change based on a stale copy is refused.
    /// </summary>
    public uint RowVersion { get; private set; }

    protected override DomainError ArchivedError => CanvasErrors.Archived;

    /// <summary>The queries and visualizations the nodes point at, by node type.</summary>
    public IReadOnlyDictionary<CanvasNodeType, IReadOnlySet<Guid>> ReferencedIds => CanvasGraph.ReferencedIds(Nodes);

    /// <summary>A new, empty canvas.</summary>
    public static Canvas Create(Guid id, Guid organizationId, string name, string? description, CanvasTimePreset timePreset, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(timePreset);
        if (organizationId == Guid.Empty)
        {
            throw new ArgumentException("A canvas belongs to an organization.", nameof(organizationId));
        }

        return new Canvas(id, organizationId, CheckName(name), CheckDescription(description), timePreset, now);
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

    public void ChangeTimePreset(CanvasTimePreset timePreset, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(timePreset);
        EnsureActive();
        if (timePreset != TimePreset)
        {
            TimePreset = timePreset;
            UpdatedAt = now;
        }
    }

    /// <summary>
    /// Replaces the nodes and edges together. When the new graph breaks a rule, the first one
    /// (in the order of <see cref="CanvasGraph.Check"/>, which lists them all) is thrown and the
    /// canvas keeps its graph.
    /// </summary>
    /// <returns>Whether the graph changed.</returns>
    public bool ReplaceGraph(IReadOnlyList<CanvasNode> nodes, IReadOnlyList<CanvasEdge> edges, DateTimeOffset now)
    {
        EnsureActive();
        if (CanvasGraph.Check(nodes, edges) is [var first, ..])
        {
            throw new DomainException(first);
        }

        if (nodes.SequenceEqual(Nodes) && edges.SequenceEqual(Edges))
        {
            return false;
        }

        (Nodes, Edges) = ([.. nodes], [.. edges]);
        UpdatedAt = now;
        return true;
    }

    private static string CheckName(string? name) =>
        ItemText.Name(name, NameMaxLength, CanvasErrors.NameRequired, CanvasErrors.NameTooLong, CanvasErrors.NulCharacter);

    private static string? CheckDescription(string? description) =>
        ItemText.Description(description, DescriptionMaxLength, CanvasErrors.DescriptionTooLong, CanvasErrors.NulCharacter);
}
