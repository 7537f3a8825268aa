using Loupe.Domain.Dashboards;
using Loupe.Domain.Queries;
using Loupe.Domain.Visualizations;

namespace Loupe.Domain.Tests.Dashboards;

public sealed class DashboardUseTests
{
    private static readonly DashboardReference Sales = new(Guid.CreateVersion7(), "Sales");

    [Fact]
    public void NoDashboard_AllowsTheArchive() =>
        Should.NotThrow(() => DashboardUse.EnsureMayArchive(VisualizationErrors.InUse, [], force: false));

    [Fact]
    public void Force_AllowsTheArchive_WhateverShowsIt() =>
        Should.NotThrow(() => DashboardUse.EnsureMayArchive(SavedQueryErrors.InUse, [Sales], force: true));

    [Fact]
    public void ShownAndNotForced_IsRefused_NamingTheDashboards_AndCountingThemAll()
    {
        var many = Enumerable.Range(0, DashboardUse.NamedAtMost + 5).Select(i => new DashboardReference(Guid.CreateVersion7(), $"d{i}")).ToList();

        var refusal = Should.Throw<ShownOnDashboardsException>(() => DashboardUse.EnsureMayArchive(VisualizationErrors.InUse, many, force: false));

        refusal.Error.Code.ShouldBe("visualization.in_use");
        refusal.Error.Message.ShouldStartWith($"{DashboardUse.NamedAtMost + 5} dashboards show this visualization");
        refusal.Dashboards.ShouldBe(many.Take(DashboardUse.NamedAtMost));
    }

    [Fact]
    public void OneDashboard_IsCountedInTheSingular() =>
        SavedQueryErrors.InUse(1).Message.ShouldStartWith("1 dashboard shows visualizations of this query");
}
