using Loupe.Domain.Common;

namespace Loupe.Domain.Dashboards;

/// <summary>A dashboard named where an item it shows cannot simply be archived.</summary>
public sealed record DashboardReference(Guid Id, string Name);

/// <summary>
/// The rule for archiving what dashboards show: a saved query or a visualization that an active
/// dashboard shows (a tile of the visualization, or of any visualization of the query) is archived
/// only when the caller says so (<c>force</c>), having been told which dashboards show it. A forced
/// archive leaves the tiles pointing at an archived item, still there and restorable — never at
/// nothing, since queries and visualizations are archived, not deleted.
/// </summary>
public static class DashboardUse
{
    /// <summary>The refusal names at most this many dashboards (its message counts them all).</summary>
    public const int NamedAtMost = 100;

    /// <summary>Throws <see cref="ShownOnDashboardsException"/> with <paramref name="refusal"/> when dashboards show the item and the archive is not forced.</summary>
    public static void EnsureMayArchive(Func<int, DomainError> refusal, IReadOnlyList<DashboardReference> shownOn, bool force)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        ArgumentNullException.ThrowIfNull(shownOn);
        if (shownOn.Count > 0 && !force)
        {
            throw new ShownOnDashboardsException(refusal(shownOn.Count), [.. shownOn.Take(NamedAtMost)]);
        }
    }
}

/// <summary>An archive refused because dashboards show the item: the error (a conflict) and the dashboards.</summary>
public sealed class ShownOnDashboardsException : Exception
{
    public ShownOnDashboardsException(DomainError error, IReadOnlyList<DashboardReference> dashboards)
        : base(error?.Message)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
        Dashboards = dashboards;
    }

    public ShownOnDashboardsException()
        : this(DomainError.Conflict("domain.unknown", "Dashboards show this item."), [])
    {
    }

    public ShownOnDashboardsException(string message)
        : this(DomainError.Conflict("domain.unknown", message), [])
    {
    }

    public ShownOnDashboardsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = DomainError.Conflict("domain.unknown", message);
        Dashboards = [];
    }

    public DomainError Error { get; }

    /// <summary>The dashboards that show the item, by name (at most <see cref="DashboardUse.NamedAtMost"/>).</summary>
    public IReadOnlyList<DashboardReference> Dashboards { get; }
}
