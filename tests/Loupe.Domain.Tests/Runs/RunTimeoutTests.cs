using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Domain.Queries;
using Loupe.Domain.Runs;

namespace Loupe.Domain.Tests.Runs;

/// <summary>One bound for a run's timeout, however it is given: from 1 second to its data source's timeout.</summary>
public sealed class RunTimeoutTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static DataSource Source(int timeoutSeconds) =>
        DataSource.Create(
            Guid.CreateVersion7(),
            Guid.CreateVersion7(),
            "Warehouse",
            ConnectionSettings.Postgresql("db.example.com", 5432, "dw", "reader"),
            null,
            DataSourceLimits.Default,
            Now,
            timeoutSeconds);

    [Property]
    public Property ARunsTimeout_IsAlwaysWithinTheBound_OrRefused() =>
        Prop.ForAll(
            Gen.Choose(1, DataSourceLimits.DefaultMaxQueryTimeoutSeconds).ToArbitrary(),
            Gen.Choose(-10, 5000).Select(s => (int?)s).Or(Gen.Constant<int?>(null)).ToArbitrary(),
            Gen.Choose(-10, 5000).Select(s => (int?)s).Or(Gen.Constant<int?>(null)).ToArbitrary(),
            (bound, asked, saved) =>
            {
                var source = Source(bound);
                int timeout;
                try
                {
                    timeout = RunTimeout.For(source, asked, saved);
                }
                catch (DomainException refused)
                {
                    // Only a timeout the request asked for is refused, and only outside the bound.
                    return asked is { } a && (a < 1 || a > bound) && refused.Error.Code == "run.timeout_out_of_range";
                }

                var expected = asked ?? (saved is { } s ? Math.Clamp(s, 1, bound) : bound);
                return timeout >= RunTimeout.MinSeconds && timeout <= bound && timeout == expected
                    && RunTimeout.IsAllowed(timeout, source);
            });

    [Property]
    public Property ASavedQuerysTimeout_IsRefusedExactlyWhenARunCouldNotAskForIt() =>
        Prop.ForAll(
            Gen.Choose(1, 3600).ToArbitrary(),
            Gen.Choose(-10, 5000).ToArbitrary(),
            (bound, seconds) =>
            {
                var source = Source(bound);
                var savedError = RunTimeout.CheckSaved(seconds, source);
                return (savedError is null) == RunTimeout.IsAllowed(seconds, source)
                    && (savedError is null || savedError.Code == "query.timeout_out_of_range");
            });

    [Fact]
    public void NoTimeoutKept_IsAlwaysAllowedForASavedQuery() =>
        RunTimeout.CheckSaved(null, Source(60)).ShouldBeNull();

    [Fact]
    public void ATimeoutAskedAboveTheDataSources_NamesTheFieldAndTheBound()
    {
        var refused = Should.Throw<DomainException>(() => RunTimeout.For(Source(60), asked: 61));

        refused.Error.Kind.ShouldBe(DomainErrorKind.Validation);
        refused.Error.Field.ShouldBe("timeout_seconds");
        refused.Error.Message.ShouldContain("60 seconds");
    }

    [Fact]
    public void ASavedTimeoutAboveALoweredDataSourceTimeout_IsCapped_NotRefused() =>
        RunTimeout.For(Source(60), saved: 100).ShouldBe(60);

    [Fact]
    public void TheSavedQueryAggregate_UsesTheSameBound()
    {
        var source = Source(60);

        Should.Throw<DomainException>(() => SavedQuery.Create(
                Guid.CreateVersion7(), source.OrganizationId, Guid.CreateVersion7(), "Q", null, "select 1", [], null, source, 61, Now))
            .Error.Code.ShouldBe("query.timeout_out_of_range");
    }
}
