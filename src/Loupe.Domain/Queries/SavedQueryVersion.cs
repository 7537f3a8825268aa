using Loupe.Domain.Common;
using Loupe.Domain.Queries.Parameters;

namespace Loupe.Domain.Queries;

/// <summary>
/// One saved state of a query's SQL and parameters, numbered from 1. A query records a new version
/// each time either changes (<see cref="SavedQuery.Revise"/>); versions are never changed or removed.
/// </summary>
public sealed class SavedQueryVersion : Entity, ITenantOwned
{
    private SavedQueryVersion(
        Guid id, Guid organizationId, Guid queryId, int number, string sql, IReadOnlyList<ParameterDefinition> parameters, DateTimeOffset createdAt, Guid? createdBy)
        : base(id)
    {
        OrganizationId = organizationId;
        QueryId = queryId;
        Number = number;
        Sql = sql;
        Parameters = parameters;
        CreatedAt = createdAt;
        CreatedBy = createdBy;
    }

    /// <summary>For the persistence layer, which sets the parameters from the stored row.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE0051", Justification = "EF Core materializes stored rows through it.")]
    private SavedQueryVersion(Guid id, Guid organizationId, Guid queryId, int number, string sql, DateTimeOffset createdAt, Guid? createdBy)
        : this(id, organizationId, queryId, number, sql, [], createdAt, createdBy)
    {
    }

    public Guid OrganizationId { get; private set; }

    public Guid QueryId { get; private set; }

    /// <summary>1 for the query's first text, then one more for each change.</summary>
    public int Number { get; private set; }

    public string Sql { get; private set; }

    public IReadOnlyList<ParameterDefinition> Parameters { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Who saved this version; null once that user has been removed from the organization.</summary>
    public Guid? CreatedBy { get; private set; }

    internal static SavedQueryVersion Of(SavedQuery query, Guid? createdBy, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), query.OrganizationId, query.Id, query.LatestVersion, query.Sql, query.Parameters, now, createdBy);
}
