namespace Loupe.Application.Dashboards;

/// <summary>
/// Dashboard answers kept ready in this process (ADR 0056), each under its organization, its
/// dashboard and the parameter values it was read with, and each dropped as soon as anything it was
/// built from changes: the dashboard, one of its visualizations, one of their queries, or a newer
/// result of one of those queries — in this process or any other, as Loupe's database announces it.
/// </summary>
/// <remarks>
/// A reader takes a <see cref="DashboardCacheTicket"/> before it reads the database and hands it back
/// with the answer: an answer built while a change was announced is served but not kept, so an
/// answer older than a change is never kept after it.
/// </remarks>
public interface IDashboardViewCache
{
    bool TryGet(DashboardViewKey key, out DashboardView view);

    /// <summary>Marks the moment a reader starts reading the database.</summary>
    DashboardCacheTicket Begin();

    /// <summary>Keeps <paramref name="view"/> until one of its <paramref name="dependencies"/> changes (or the cache drops it for room or age).</summary>
    void Keep(DashboardCacheTicket ticket, DashboardViewKey key, DashboardView view, DashboardDependencies dependencies);
}

/// <summary>What a cached answer is kept under: the organization, the dashboard and the parameter values as given (in a canonical order).</summary>
public sealed record DashboardViewKey(Guid OrganizationId, Guid DashboardId, string ParameterValues);

/// <summary>A dashboard answer ready to send: its JSON body and its entity tag.</summary>
public sealed record DashboardView(ReadOnlyMemory<byte> Json, string ETag);

/// <summary>What an answer was built from: a change of any of these makes it stale.</summary>
public sealed record DashboardDependencies(Guid DashboardId, IReadOnlyCollection<Guid> VisualizationIds, IReadOnlyCollection<Guid> QueryIds);

/// <summary>The cache's count of announced changes when a reader started.</summary>
public readonly record struct DashboardCacheTicket(long Changes, bool Live);
