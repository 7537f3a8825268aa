using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;

namespace Loupe.Application.Organizations;

/// <summary>The current organization's time zone, for what is resolved in local time (the month a <c>this_month</c> preset means).</summary>
internal static class OrganizationTimeZone
{
    /// <summary>
    /// The zone of the organization the request works in, in one query. A zone this host's time zone
    /// data does not know (it was accepted on a host whose data did) is read as UTC rather than failing the answer.
    /// </summary>
    public static async Task<TimeZoneInfo> ReadAsync(ITenantScope tenant, IReadStore store, IQueryExecutor executor, CancellationToken cancellationToken)
    {
        var organizationId = tenant.RequiredOrganizationId();
        var id = await executor.FirstOrDefaultAsync(
            store.Query<Organization>().Where(o => o.Id == organizationId).Select(o => o.TimeZone), cancellationToken).ConfigureAwait(false);
        return id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
    }
}
