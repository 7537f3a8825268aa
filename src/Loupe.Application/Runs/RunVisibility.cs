using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;
using Loupe.Domain.Runs;

namespace Loupe.Application.Runs;

/// <summary>
/// Applies <see cref="QueryRun.IsVisibleTo"/> for the caller: in the database for lists and lookups,
/// on a loaded run otherwise. A caller without a role sees only what a viewer would.
/// </summary>
internal static class RunVisibility
{
    public static IQueryable<QueryRun> VisibleTo(this IQueryable<QueryRun> runs, ICurrentUser caller) =>
        runs.Where(QueryRun.VisibleTo(caller.UserId ?? Guid.Empty, caller.Role ?? Role.Viewer));

    public static bool MaySee(this ICurrentUser caller, QueryRun run) =>
        run.IsVisibleTo(caller.UserId ?? Guid.Empty, caller.Role ?? Role.Viewer);
}
