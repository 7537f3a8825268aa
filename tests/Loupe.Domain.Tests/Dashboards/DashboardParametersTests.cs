using Loupe.Domain.Dashboards;
using Loupe.Domain.Queries.Parameters;

namespace Loupe.Domain.Tests.Dashboards;

public sealed class DashboardParametersTests
{
    private static readonly Guid Sales = Guid.CreateVersion7();
    private static readonly Guid Regions = Guid.CreateVersion7();

    private static readonly DashboardTile[] Tiles =
    [
        DashboardTile.OfVisualization("sales", Sales, 0, 0, 12, 4),
        DashboardTile.OfVisualization("regions", Regions, 12, 0, 12, 4),
        DashboardTile.OfText("notes", "Read me", 0, 4, 24, 2),
    ];

    private static readonly Dictionary<Guid, IReadOnlyList<ParameterDefinition>> QueryParameters = new()
    {
        [Sales] = [ParameterDefinition.Create("period", ParameterType.DateRange), ParameterDefinition.Create("limit", ParameterType.Number)],
        [Regions] = [ParameterDefinition.Create("region", ParameterType.Enum, options: ["north", "south", "east"]), ParameterDefinition.Create("limit", ParameterType.Number)],
    };

    private static readonly ParameterDefinition[] Declared =
    [
        ParameterDefinition.Create("period", ParameterType.DateRange),
        ParameterDefinition.Create("region", ParameterType.Enum, options: ["north", "south"]),
        ParameterDefinition.Create("top", ParameterType.Text),
    ];

    private static IReadOnlyList<(string Code, string? Field)> Check(params ParameterMapping?[] mappings) =>
        [.. DashboardParameters.CheckMappings(mappings, Tiles, Declared, QueryParameters).Select(e => (e.Code, e.Field))];

    [Fact]
    public void DashboardAndStaticMappings_OntoParametersTheQueriesHave_AreAccepted() =>
        Check(
            ParameterMapping.FromDashboard("sales", "period", "period"),
            ParameterMapping.FromDashboard("regions", "region", "region"),
            ParameterMapping.Fixed("sales", "limit", ParameterValue.OfNumber("10")),
            ParameterMapping.Fixed("regions", "limit", ParameterValue.OfNumber("5"))).ShouldBeEmpty();

    [Fact]
    public void AMappingToAParameterTheQueryDoesNotHave_IsRefused() =>
        Check(ParameterMapping.FromDashboard("sales", "region", "region"))
            .ShouldBe([("dashboard.mapping_query_parameter_unknown", "parameter_mappings[0].query_parameter")]);

    [Fact]
    public void AMappingOfAnotherType_IsRefused() =>
        Check(ParameterMapping.Fixed("sales", "limit", ParameterValue.OfNumber("1")), ParameterMapping.FromDashboard("sales", "period", "top"))
            .ShouldBe([("dashboard.mapping_type_mismatch", "parameter_mappings[1].dashboard_parameter")]);

    [Fact]
    public void AnEnumOfferingOptionsTheQueryRefuses_IsRefused()
    {
        var declared = new[] { ParameterDefinition.Create("region", ParameterType.Enum, options: ["north", "west"]) };

        DashboardParameters.CheckMappings([ParameterMapping.FromDashboard("regions", "region", "region")], Tiles, declared, QueryParameters)
            .Single().Code.ShouldBe("dashboard.mapping_type_mismatch");
    }

    [Fact]
    public void AMappingFromAnUndeclaredParameter_IsRefused() =>
        Check(ParameterMapping.FromDashboard("sales", "period", "when"))
            .ShouldBe([("dashboard.mapping_dashboard_parameter_unknown", "parameter_mappings[0].dashboard_parameter")]);

    [Fact]
    public void AStaticValueTheQueryParameterRefuses_IsRefused()
    {
        Check(ParameterMapping.Fixed("sales", "limit", ParameterValue.OfText("ten")))
            .ShouldBe([("dashboard.mapping_value_invalid", "parameter_mappings[0].value")]);
        Check(ParameterMapping.Fixed("regions", "region", ParameterValue.OfText("west")))
            .ShouldBe([("dashboard.mapping_value_invalid", "parameter_mappings[0].value")]);
        Check(new ParameterMapping("sales", "limit", MappingSource.Static, null, null))
            .ShouldBe([("dashboard.mapping_value_invalid", "parameter_mappings[0].value")]);
    }

    [Fact]
    public void AMappingOntoATextTile_OrAnUnknownTile_IsRefused() =>
        Check(ParameterMapping.FromDashboard("notes", "period", "period"), ParameterMapping.FromDashboard("nowhere", "period", "period"))
            .ShouldBe([("dashboard.mapping_tile_unknown", "parameter_mappings[0].tile_id"), ("dashboard.mapping_tile_unknown", "parameter_mappings[1].tile_id")]);

    [Fact]
    public void MappingOneQueryParameterTwice_IsRefused() =>
        Check(ParameterMapping.FromDashboard("sales", "period", "period"), ParameterMapping.Fixed("sales", "period", ParameterValue.OfRange(null, null)))
            .ShouldBe([("dashboard.mapping_duplicate", "parameter_mappings[1]")]);

    [Fact]
    public void AMappingOntoAVisualizationWhoseQueryIsUnknown_IsRefused()
    {
        var tiles = Tiles.Append(DashboardTile.OfVisualization("foreign", Guid.CreateVersion7(), 0, 6, 1, 1)).ToArray();

        DashboardParameters.CheckMappings([ParameterMapping.FromDashboard("foreign", "period", "period")], tiles, Declared, QueryParameters)
            .Single().Code.ShouldBe("dashboard.visualization_not_found");
    }

    [Fact]
    public void QueryParameterNames_AreMatchedExactly() =>
        Check(ParameterMapping.FromDashboard("sales", "Period", "period")).Single().Code.ShouldBe("dashboard.mapping_query_parameter_unknown");

    [Fact]
    public void DeclaredParameters_HaveNamesUniqueRegardlessOfCase()
    {
        DashboardParameters.CheckDeclared([ParameterDefinition.Create("period", ParameterType.Date), ParameterDefinition.Create("Period", ParameterType.Text)])
            .Select(e => (e.Code, e.Field)).ShouldBe([("dashboard.parameter_name_duplicate", "parameters[1].name")]);
        DashboardParameters.CheckDeclared([null]).Single().Field.ShouldBe("parameters[0]");
        DashboardParameters.CheckDeclared([.. Enumerable.Range(0, DashboardParameters.MaxParameters + 1).Select(i => ParameterDefinition.Create($"p{i}", ParameterType.Text))])
            .Single().Code.ShouldBe("dashboard.too_many_parameters");
    }
}
