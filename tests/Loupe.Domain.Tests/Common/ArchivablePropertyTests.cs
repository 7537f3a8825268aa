using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Canvases;
using Loupe.Domain.Common;
using Loupe.Domain.Dashboards;
using Loupe.Domain.DataSources;
using Loupe.Domain.Queries;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Schedules;
using Loupe.Domain.Visualizations;

namespace Loupe.Domain.Tests.Common;

/// <summary>
/// The archive rule every item shares (<see cref="ArchivableAggregateRoot"/>), checked on each of the
/// items against a model of it over any sequence of archives, restores and attempted changes.
/// </summary>
public sealed class ArchivablePropertyTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Organization = Guid.CreateVersion7();
    private static readonly Guid Owner = Guid.CreateVersion7();

    private enum Act
    {
        Archive,
        Restore,
        Change,
    }

    /// <summary>An item as it is created, with the error it refuses changes with while archived.</summary>
    private sealed record Kind(string Name, Func<ArchivableAggregateRoot> Create, DomainError Archived)
    {
        public override string ToString() => Name;
    }

    private static readonly Kind[] Kinds =
    [
        new("saved query", () => NewQuery(), SavedQueryErrors.Archived),
        new("visualization", () => Visualization.Create(Guid.CreateVersion7(), NewQuery(), Owner, "Total", null, new CounterOptions("amount"), null, Created), VisualizationErrors.Archived),
        new("dashboard", () => Dashboard.Create(Guid.CreateVersion7(), Organization, Owner, "Sales", null, null, [], [], [], new Dictionary<Guid, IReadOnlyList<ParameterDefinition>>(), Created), DashboardErrors.Archived),
        new("canvas", () => Canvas.Create(Guid.CreateVersion7(), Organization, "Flow", null, CanvasTimePreset.Relative(TimePresetKind.Last7Days), Created), CanvasErrors.Archived),
        new("schedule", () => Schedule.Create(Guid.CreateVersion7(), NewQuery(), Owner, "Hourly", null, "0 * * * *", "UTC", true, null, new Hourly(), ScheduleRules.Default, Created), ScheduleErrors.Archived),
    ];

    /// <summary>Steps at any time, before or after the item's creation, in any order: the rule does not depend on the clock.</summary>
    private static readonly Gen<(Act Act, DateTimeOffset At)[]> Steps =
        Gen.Elements(Act.Archive, Act.Restore, Act.Change)
            .SelectMany(act => Gen.Choose(-10_000, 10_000).Select(minutes => (Act: act, At: Created.AddMinutes(minutes))))
            .ArrayOf();

    private static readonly Arbitrary<(Kind Kind, (Act Act, DateTimeOffset At)[] Steps)> Cases =
        Gen.Elements(Kinds).SelectMany(kind => Steps.Select(steps => (Kind: kind, Steps: steps))).ToArbitrary();

    private static SavedQuery NewQuery()
    {
        var source = DataSource.Create(
            Guid.CreateVersion7(), Organization, "Warehouse", ConnectionSettings.Postgresql("db", 5432, "dw", "reader"), null, DataSourceLimits.Default, Created);
        return SavedQuery.Create(Guid.CreateVersion7(), Organization, Owner, "Sales", null, "SELECT 1 AS amount", [], null, source, null, Created);
    }

    [Property(MaxTest = 300)]
    public Property AnyArchivesAndRestores_KeepTheItemWhereTheModelSaysItIs() =>
        Prop.ForAll(Cases, c =>
        {
            var item = c.Kind.Create();
            DateTimeOffset? archivedAt = null;
            var updatedAt = Created;
            foreach (var (act, at) in c.Steps)
            {
                switch (act)
                {
                    case Act.Archive:
                        var wasActive = archivedAt is null;
                        item.Archive(at).ShouldBe(wasActive);
                        (archivedAt, updatedAt) = wasActive ? (at, at) : (archivedAt, updatedAt);
                        break;
                    case Act.Restore:
                        var wasArchived = archivedAt is not null;
                        item.Restore(at).ShouldBe(wasArchived);
                        (archivedAt, updatedAt) = wasArchived ? (null, at) : (archivedAt, updatedAt);
                        break;
                    default:
                        if (archivedAt is null)
                        {
                            Should.NotThrow(item.EnsureActive);
                        }
                        else
                        {
                            Should.Throw<DomainException>(item.EnsureActive).Error.ShouldBe(c.Kind.Archived);
                        }

                        break;
                }

                item.ArchivedAt.ShouldBe(archivedAt);
                item.IsArchived.ShouldBe(archivedAt is not null);
                item.UpdatedAt.ShouldBe(updatedAt);
            }
        });

    [Property(MaxTest = 300)]
    public Property ARepeatedArchiveOrRestore_ChangesNothing() =>
        Prop.ForAll(Cases, c =>
        {
            var item = c.Kind.Create();
            foreach (var (act, at) in c.Steps)
            {
                _ = act == Act.Restore ? item.Restore(at) : item.Archive(at);
                var (archivedAt, updatedAt) = (item.ArchivedAt, item.UpdatedAt);

                (act == Act.Restore ? item.Restore(at.AddDays(1)) : item.Archive(at.AddDays(1))).ShouldBeFalse();

                item.ArchivedAt.ShouldBe(archivedAt);
                item.UpdatedAt.ShouldBe(updatedAt);
            }
        });

    [Property(MaxTest = 300)]
    public Property AnArchiveThenARestore_LeavesTheItemActive_AtTheRestoresTime() =>
        Prop.ForAll(Cases, c =>
        {
            var item = c.Kind.Create();
            foreach (var (_, at) in c.Steps)
            {
                item.Archive(at).ShouldBeTrue();
                item.ArchivedAt.ShouldBe(at);
                item.UpdatedAt.ShouldBe(at);
                Should.Throw<DomainException>(item.EnsureActive).Error.Code.ShouldBe(c.Kind.Archived.Code);

                item.Restore(at.AddSeconds(1)).ShouldBeTrue();
                item.IsArchived.ShouldBeFalse();
                item.ArchivedAt.ShouldBeNull();
                item.UpdatedAt.ShouldBe(at.AddSeconds(1));
                Should.NotThrow(item.EnsureActive);
            }
        });

    [Fact]
    public void EachItem_RefusesChangesWhileArchived_UnderItsOwnCode()
    {
        Kinds.Select(k => k.Archived.Code).ShouldBe(["query.archived", "visualization.archived", "dashboard.archived", "canvas.archived", "schedule.archived"]);
        Kinds.ShouldAllBe(k => k.Archived.Kind == DomainErrorKind.Conflict);
        foreach (var kind in Kinds)
        {
            var item = kind.Create();
            item.Archive(Created).ShouldBeTrue();
            Should.Throw<DomainException>(item.EnsureActive).Error.ShouldBe(kind.Archived);
        }
    }

    /// <summary>Fire times of an hourly expression, enough for a schedule to be created here (the cron library is Infrastructure's).</summary>
    private sealed class Hourly : IFireTimes
    {
        public string? Problem(string cron) => null;

        public TimeSpan ShortestInterval(string cron) => TimeSpan.FromHours(1);

        public DateTimeOffset? NextAfter(string cron, TimeZoneInfo zone, DateTimeOffset after) =>
            new DateTimeOffset(after.Year, after.Month, after.Day, after.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
    }
}
