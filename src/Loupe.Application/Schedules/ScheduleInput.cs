using System.Text.Json;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.Organizations;
using Loupe.Application.SavedQueries;
using Loupe.Domain.Common;
using Loupe.Domain.Queries;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Schedules;

namespace Loupe.Application.Schedules;

/// <summary>What create and update read from a request before the schedule's own rules check it.</summary>
internal static class ScheduleInput
{
    /// <summary>The values of the request's <c>parameters</c> object (a null value is "not given": the parameter's default).</summary>
    public static IReadOnlyDictionary<string, ParameterValue> Values(IReadOnlyDictionary<string, JsonElement>? parameters) =>
        ParameterJson.ToValues(parameters)
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Value!, StringComparer.Ordinal);

    /// <summary>The saved query of the caller's organization, or the schedule's <c>query_not_found</c> (another organization's looks the same).</summary>
    public static async Task<SavedQuery> QueryAsync(IRepository<SavedQuery> queries, Guid queryId, CancellationToken ct) =>
        await queries.FindAsync(queryId, ct).ConfigureAwait(false) ?? throw new DomainException(ScheduleErrors.QueryNotFound);

    /// <summary>The zone asked for, or the organization's (<see cref="OrganizationTimeZone"/>) when none is given.</summary>
    public static async Task<string> ZoneAsync(ITenantScope tenant, IReadStore store, IQueryExecutor executor, string? timeZone, CancellationToken ct) =>
        timeZone ?? (await OrganizationTimeZone.ReadAsync(tenant, store, executor, ct).ConfigureAwait(false)).Id;
}
