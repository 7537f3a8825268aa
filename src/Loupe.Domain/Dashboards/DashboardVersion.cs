using Loupe.Domain.Common;
using Loupe.Domain.Queries.Parameters;

namespace Loupe.Domain.Dashboards;

/// <summary>
/// One saved state of a dashboard, numbered from 1: its name, description, tags, tiles, parameters
/// and parameter mappings. A dashboard records a new version with each change of any of them;
/// versions are never changed or removed, and restoring one records a new version.
/// </summary>
public sealed class DashboardVersion : Entity, ITenantOwned
{
    private DashboardVersion(Guid id, Guid organizationId, Guid dashboardId, int number, string name, DateTimeOffset createdAt, Guid? createdBy)
        : base(id)
    {
        OrganizationId = organizationId;
        DashboardId = dashboardId;
        Number = number;
        Name = name;
        CreatedAt = createdAt;
        CreatedBy = createdBy;
        Tags = [];
        Tiles = [];
        Parameters = [];
        ParameterMappings = [];
    }

    public Guid OrganizationId { get; private set; }

    public Guid DashboardId { get; private set; }

    /// <summary>1 for the dashboard as created, then one more for each change.</summary>
    public int Number { get; private set; }

    public string Name { get; private set; }

    public string? Description { get; private set; }

    public IReadOnlyList<string> Tags { get; private set; }

    public IReadOnlyList<DashboardTile> Tiles { get; private set; }

    public IReadOnlyList<ParameterDefinition> Parameters { get; private set; }

    public IReadOnlyList<ParameterMapping> ParameterMappings { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Who saved this version; null once that user has been removed from the organization.</summary>
    public Guid? CreatedBy { get; private set; }

    internal static DashboardVersion Of(Dashboard dashboard, Guid? createdBy, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), dashboard.OrganizationId, dashboard.Id, dashboard.LatestVersion, dashboard.Name, now, createdBy)
        {
            Description = dashboard.Description,
            Tags = dashboard.Tags,
            Tiles = dashboard.Tiles,
            Parameters = dashboard.Parameters,
            ParameterMappings = dashboard.ParameterMappings,
        };
}
