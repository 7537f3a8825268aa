using FsCheck.Xunit;
using Loupe.Application.Dashboards;
using Loupe.Infrastructure.Dashboards;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Tests.Dashboards;

/// <summary>
/// The cache of dashboard answers keeps an answer until something it was built from changes, never an
/// answer read across a change, nothing while changes cannot be heard, and each organization's apart.
/// </summary>
public sealed class DashboardViewCacheTests : IDisposable
{
    private static readonly Guid Organization = Guid.CreateVersion7();
    private static readonly DashboardView View = new(new byte[] { 1, 2, 3 }, "\"1-abc\"");
    private readonly DashboardViewCache _cache = New();

    public void Dispose() => _cache.Dispose();

    private static DashboardViewCache New(int megabytes = 1)
    {
        var cache = new DashboardViewCache(Options.Create(new DashboardOptions { CacheMegabytes = megabytes }));
        cache.SetListening(true);
        return cache;
    }

    private static (DashboardViewKey Key, DashboardDependencies Dependencies) Dashboard(Guid? organization = null)
    {
        var dashboard = Guid.CreateVersion7();
        return (new DashboardViewKey(organization ?? Organization, dashboard, "[]"),
            new DashboardDependencies(dashboard, [Guid.CreateVersion7(), Guid.CreateVersion7()], [Guid.CreateVersion7()]));
    }

    [Fact]
    public void AnAnswer_IsKept_UntilAnythingItWasBuiltFromChanges()
    {
        var (key, dependencies) = Dashboard();
        Guid[] sources = [dependencies.DashboardId, .. dependencies.VisualizationIds, .. dependencies.QueryIds];
        foreach (var changed in sources)
        {
            _cache.Keep(_cache.Begin(), key, View, dependencies);
            _cache.TryGet(key, out var kept).ShouldBeTrue();
            kept.ShouldBe(View);

            _cache.Changed(Guid.CreateVersion7());
            _cache.TryGet(key, out _).ShouldBeTrue("a change of something else keeps it");

            _cache.Changed(changed);
            _cache.TryGet(key, out _).ShouldBeFalse($"a change of {changed} drops it");
        }
    }

    [Fact]
    public void AnAnswerReadAcrossAChange_IsNotKept()
    {
        var (key, dependencies) = Dashboard();
        var ticket = _cache.Begin();
        _cache.Changed(dependencies.QueryIds.First());

        _cache.Keep(ticket, key, View, dependencies);

        _cache.TryGet(key, out _).ShouldBeFalse();
    }

    [Fact]
    public void NothingIsKept_WhileChangesCannotBeHeard_AndEverythingGoesWhenTheListenerIsLost()
    {
        var (key, dependencies) = Dashboard();
        _cache.Keep(_cache.Begin(), key, View, dependencies);
        _cache.SetListening(false);
        _cache.TryGet(key, out _).ShouldBeFalse();

        _cache.Keep(_cache.Begin(), key, View, dependencies);
        _cache.TryGet(key, out _).ShouldBeFalse();

        // A reading that began before the listener came back is not kept either: it may predate a missed change.
        var before = _cache.Begin();
        _cache.SetListening(true);
        _cache.Keep(before, key, View, dependencies);
        _cache.TryGet(key, out _).ShouldBeFalse();
        _cache.Keep(_cache.Begin(), key, View, dependencies);
        _cache.TryGet(key, out _).ShouldBeTrue();
    }

    [Fact]
    public void ACacheOfNoMegabytes_KeepsNothing()
    {
        using var cache = New(megabytes: 0);
        var (key, dependencies) = Dashboard();
        cache.Keep(cache.Begin(), key, View, dependencies);
        cache.TryGet(key, out _).ShouldBeFalse();
    }

    [Fact]
    public void TheSameDashboard_IsKeptApartPerOrganizationAndParameterValues()
    {
        var (key, dependencies) = Dashboard();
        _cache.Keep(_cache.Begin(), key, View, dependencies);

        _cache.TryGet(key with { OrganizationId = Guid.CreateVersion7() }, out _).ShouldBeFalse();
        _cache.TryGet(key with { ParameterValues = "[[\"p_region\",\"EU\"]]" }, out _).ShouldBeFalse();
        _cache.TryGet(key with { }, out _).ShouldBeTrue();
    }

    [Property(MaxTest = 200)]
    public bool AnyInterleavingOfReadsAndChanges_NeverLeavesAStaleAnswer(bool[] changeDuringRead, byte[] changes)
    {
        {
            using var cache = New();
            var (key, dependencies) = Dashboard();
            Guid[] sources = [dependencies.DashboardId, .. dependencies.VisualizationIds, .. dependencies.QueryIds];
            var version = 0;
            var step = 0;
            foreach (var change in changes ?? [])
            {
                // A reading builds the answer of the version it saw; a change may land before it is kept.
                var ticket = cache.Begin();
                var seen = version;
                if (changeDuringRead is { Length: > 0 } && changeDuringRead[step++ % changeDuringRead.Length])
                {
                    cache.Changed(sources[change % sources.Length]);
                    version++;
                }

                cache.Keep(ticket, key, new DashboardView(BitConverter.GetBytes(seen), $"\"{seen}\""), dependencies);
                if (change % 3 == 0)
                {
                    cache.Changed(sources[change % sources.Length]);
                    version++;
                }

                if (cache.TryGet(key, out var kept) && BitConverter.ToInt32(kept.Json.Span) != version)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
