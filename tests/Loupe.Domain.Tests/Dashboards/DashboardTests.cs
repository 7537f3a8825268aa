using Loupe.Domain.Common;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Queries.Parameters;

namespace Loupe.Domain.Tests.Dashboards;

public sealed class DashboardTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Organization = Guid.CreateVersion7();
    private static readonly Guid Owner = Guid.CreateVersion7();
    private static readonly Guid Sales = Guid.CreateVersion7();

    private static readonly Dictionary<Guid, IReadOnlyList<ParameterDefinition>> QueryParameters = new()
    {
        [Sales] = [ParameterDefinition.Create("day", ParameterType.Date)],
    };

    private static readonly DashboardTile[] Tiles =
    [
        DashboardTile.OfVisualization("sales", Sales, 0, 0, 12, 4),
        DashboardTile.OfText("notes", "# Read me", 12, 0, 12, 4),
    ];

    private static readonly ParameterDefinition[] Parameters = [ParameterDefinition.Create("day", ParameterType.Date)];

    private static readonly ParameterMapping[] Mappings = [ParameterMapping.FromDashboard("sales", "day", "day")];

    private static Dashboard NewDashboard(IEnumerable<string?>? tags = null) =>
        Dashboard.Create(Guid.CreateVersion7(), Organization, Owner, "  Sales  ", " ", tags, Tiles, Parameters, Mappings, QueryParameters, Now);

    [Fact]
    public void Create_KeepsTheContent_AndRecordsVersionOne()
    {
        var dashboard = NewDashboard(["Finance", "finance", " KPI "]);

        dashboard.Name.ShouldBe("Sales");
        dashboard.Description.ShouldBeNull();
        dashboard.Tags.ShouldBe(["finance", "kpi"]);
        dashboard.Tiles.ShouldBe(Tiles);
        dashboard.Parameters.ShouldBe(Parameters);
        dashboard.ParameterMappings.ShouldBe(Mappings);
        dashboard.VisualizationIds.ShouldBe([Sales]);
        dashboard.LatestVersion.ShouldBe(1);
        var version = dashboard.NewVersions.ShouldHaveSingleItem();
        (version.Number, version.DashboardId, version.OrganizationId, version.CreatedBy).ShouldBe((1, dashboard.Id, Organization, (Guid?)Owner));
        version.Tiles.ShouldBe(Tiles);
    }

    [Fact]
    public void Create_RefusesAVisualizationTheOrganizationDoesNotHave()
    {
        var foreign = Tiles.Append(DashboardTile.OfVisualization("other", Guid.CreateVersion7(), 0, 4, 1, 1)).ToArray();

        var error = Should.Throw<DomainException>(() =>
            Dashboard.Create(Guid.CreateVersion7(), Organization, Owner, "Sales", null, null, foreign, [], [], QueryParameters, Now)).Error;

        (error.Code, error.Field).ShouldBe(("dashboard.visualization_not_found", "tiles[2].visualization_id"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_RequiresAName(string name) =>
        Should.Throw<DomainException>(() => Dashboard.Create(Guid.CreateVersion7(), Organization, Owner, name, null, null, [], [], [], QueryParameters, Now))
            .Error.ShouldBe(DashboardErrors.NameRequired);

    [Fact]
    public void Tags_FollowTheQueryTagRules_UnderTheDashboardsCodes()
    {
        Should.Throw<DomainException>(() => NewDashboard([""])).Error.ShouldBe(DashboardErrors.TagInvalid);
        Should.Throw<DomainException>(() => NewDashboard(Enumerable.Range(0, 21).Select(i => $"t{i}"))).Error.ShouldBe(DashboardErrors.TooManyTags);
    }

    [Fact]
    public void ChangingTheLayout_RecordsANewVersion_AndTheSameLayoutRecordsNothing()
    {
        var dashboard = NewDashboard();
        var moved = new[] { Tiles[0] with { Y = 4 }, Tiles[1] };

        dashboard.ChangeLayout(moved, Parameters, Mappings, QueryParameters, Owner, Now.AddMinutes(1)).ShouldBeTrue();
        dashboard.ChangeLayout(moved, Parameters, Mappings, QueryParameters, Owner, Now.AddMinutes(2)).ShouldBeFalse();

        dashboard.LatestVersion.ShouldBe(2);
        dashboard.UpdatedAt.ShouldBe(Now.AddMinutes(1));
        dashboard.NewVersions.Select(v => v.Number).ShouldBe([1, 2]);
        dashboard.NewVersions[1].Tiles.ShouldBe(moved);
    }

    [Fact]
    public void ARefusedLayout_ChangesNothing()
    {
        var dashboard = NewDashboard();

        var error = Should.Throw<DomainException>(() =>
            dashboard.ChangeLayout([Tiles[0], Tiles[0] with { Id = "copy" }], Parameters, Mappings, QueryParameters, Owner, Now)).Error;

        (error.Code, error.Field).ShouldBe(("dashboard.tiles_overlap", "tiles[1]"));
        dashboard.Tiles.ShouldBe(Tiles);
        dashboard.LatestVersion.ShouldBe(1);
    }

    [Fact]
    public void Describing_RecordsANewVersion_OnlyWhenSomethingChanges()
    {
        var dashboard = NewDashboard(["kpi"]);

        dashboard.Describe("Sales", null, ["KPI"], Owner, Now).ShouldBeFalse();
        dashboard.Describe("Sales 2026", "Yearly", ["kpi"], Owner, Now.AddMinutes(1)).ShouldBeTrue();

        (dashboard.Name, dashboard.Description, dashboard.LatestVersion).ShouldBe(("Sales 2026", "Yearly", 2));
        dashboard.NewVersions[1].Name.ShouldBe("Sales 2026");
    }

    [Fact]
    public void Revising_MetadataAndLayoutTogether_RecordsOneVersion_AndTheSameContentNothing()
    {
        var dashboard = NewDashboard();
        var later = Now.AddMinutes(5);
        DashboardTile[] moved = [DashboardTile.OfVisualization("sales", Sales, 0, 0, 24, 8)];

        dashboard.Revise("Sales 2", "Quarter", ["ops"], moved, Parameters, Mappings, QueryParameters, Owner, later).ShouldBeTrue();
        dashboard.Revise("Sales 2", "Quarter", ["ops"], moved, Parameters, Mappings, QueryParameters, Owner, later.AddMinutes(1)).ShouldBeFalse();

        dashboard.LatestVersion.ShouldBe(2);
        dashboard.NewVersions.Select(v => v.Number).ShouldBe([1, 2]);
        dashboard.NewVersions[1].Name.ShouldBe("Sales 2");
        dashboard.NewVersions[1].Tiles.ShouldBe(moved);
        dashboard.UpdatedAt.ShouldBe(later);
        Should.Throw<DomainException>(() => dashboard.Revise("Sales 3", null, null, [DashboardTile.OfText("notes", "x", 0, 0, 0, 1)], [], [], QueryParameters, Owner, later))
            .Error.Code.ShouldBe("dashboard.tile_too_small");
        dashboard.Name.ShouldBe("Sales 2");
    }

    [Fact]
    public void RestoringAVersion_RecordsANewOne_WithThatContent()
    {
        var dashboard = NewDashboard();
        var first = dashboard.NewVersions[0];
        dashboard.ChangeLayout([Tiles[1]], [], [], QueryParameters, Owner, Now.AddMinutes(1));
        dashboard.Describe("Renamed", null, null, Owner, Now.AddMinutes(2));

        dashboard.RestoreVersion(first, QueryParameters, Owner, Now.AddMinutes(3)).ShouldBeTrue();
        dashboard.RestoreVersion(first, QueryParameters, Owner, Now.AddMinutes(4)).ShouldBeFalse();

        (dashboard.Name, dashboard.LatestVersion).ShouldBe(("Sales", 4));
        dashboard.Tiles.ShouldBe(Tiles);
        dashboard.ParameterMappings.ShouldBe(Mappings);
        dashboard.NewVersions.Select(v => v.Number).ShouldBe([1, 2, 3, 4]);
    }

    [Fact]
    public void RestoringAVersion_ChecksItsMappingsAgainstTheQueriesAsTheyAreNow()
    {
        var dashboard = NewDashboard();
        var changedQuery = new Dictionary<Guid, IReadOnlyList<ParameterDefinition>> { [Sales] = [ParameterDefinition.Create("day", ParameterType.Text)] };
        dashboard.ChangeLayout(Tiles, [], [], changedQuery, Owner, Now.AddMinutes(1));

        Should.Throw<DomainException>(() => dashboard.RestoreVersion(dashboard.NewVersions[0], changedQuery, Owner, Now.AddMinutes(2)))
            .Error.Code.ShouldBe("dashboard.mapping_type_mismatch");
    }

    [Fact]
    public void RestoringAnotherDashboardsVersion_IsAProgrammingError()
    {
        var other = NewDashboard();

        Should.Throw<ArgumentException>(() => NewDashboard().RestoreVersion(other.NewVersions[0], QueryParameters, Owner, Now));
    }

    [Fact]
    public void AnArchivedDashboard_IsReadOnly_UntilRestored()
    {
        var dashboard = NewDashboard();

        dashboard.Archive(Now).ShouldBeTrue();
        dashboard.Archive(Now).ShouldBeFalse();
        Should.Throw<DomainException>(() => dashboard.Describe("New", null, null, Owner, Now)).Error.ShouldBe(DashboardErrors.Archived);
        Should.Throw<DomainException>(() => dashboard.ChangeLayout([], [], [], QueryParameters, Owner, Now)).Error.ShouldBe(DashboardErrors.Archived);
        dashboard.Restore(Now).ShouldBeTrue();
        dashboard.Restore(Now).ShouldBeFalse();
        dashboard.ChangeLayout([], [], [], QueryParameters, Owner, Now).ShouldBeTrue();
        dashboard.VisualizationIds.ShouldBeEmpty();
    }
}
