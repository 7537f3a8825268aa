using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Domain.Queries;
using Loupe.Domain.Visualizations;

namespace Loupe.Domain.Tests.Visualizations;

public sealed class VisualizationTests
{
    private static readonly Guid Organization = Guid.CreateVersion7();
    private static readonly Guid Owner = Guid.CreateVersion7();
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly CounterOptions Counter = new("amount");

    private static SavedQuery Query()
    {
        var source = DataSource.Create(
            Guid.CreateVersion7(), Organization, "Warehouse", ConnectionSettings.Postgresql("db", 5432, "dw", "reader"), null, DataSourceLimits.Default, Now);
        return SavedQuery.Create(Guid.CreateVersion7(), Organization, Owner, "Sales", null, "SELECT 1 AS amount", [], null, source, null, Now);
    }

    private static Visualization New(SavedQuery? query = null, string? name = " Total ", string? description = " Sum of all ", IEnumerable<string?>? tags = null) =>
        Visualization.Create(Guid.CreateVersion7(), query ?? Query(), Owner, name, description, Counter, tags ?? ["KPI", " kpi ", "Sales"], Now);

    [Fact]
    public void Create_TakesTheQuerysOrganization_AndNormalizes()
    {
        var query = Query();
        var visualization = New(query);

        visualization.OrganizationId.ShouldBe(Organization);
        visualization.QueryId.ShouldBe(query.Id);
        visualization.Name.ShouldBe("Total");
        visualization.Description.ShouldBe("Sum of all");
        visualization.Type.ShouldBe(VisualizationType.Counter);
        visualization.Options.ShouldBe(Counter);
        visualization.Tags.ShouldBe(["kpi", "sales"]);
        visualization.OwnerId.ShouldBe(Owner);
        visualization.CreatedAt.ShouldBe(Now);
        visualization.IsArchived.ShouldBeFalse();
    }

    [Theory]
    [InlineData(null, "visualization.name_required")]
    [InlineData("   ", "visualization.name_required")]
    [InlineData("a\0b", "visualization.nul_character")]
    public void ABadName_IsRefusedByName(string? name, string code) =>
        Should.Throw<DomainException>(() => New(name: name)).Error.Code.ShouldBe(code);

    [Fact]
    public void TooLongTexts_AndBadTags_AreRefusedUnderTheVisualizationsCodes()
    {
        Should.Throw<DomainException>(() => New(name: new string('n', Visualization.NameMaxLength + 1))).Error.Code.ShouldBe("visualization.name_too_long");
        Should.Throw<DomainException>(() => New(description: new string('d', Visualization.DescriptionMaxLength + 1))).Error.Code
            .ShouldBe("visualization.description_too_long");
        Should.Throw<DomainException>(() => New(tags: [""])).Error.Code.ShouldBe("visualization.tag_invalid");
        Should.Throw<DomainException>(() => New(tags: Enumerable.Range(0, QueryTags.MaxTags + 1).Select(i => $"t{i}"))).Error.Code
            .ShouldBe("visualization.too_many_tags");
    }

    [Fact]
    public void AnArchivedQuery_GetsNoNewVisualization()
    {
        var query = Query();
        query.Archive(Now);

        Should.Throw<DomainException>(() => New(query)).Error.Code.ShouldBe("visualization.query_archived");
    }

    [Fact]
    public void Reconfigure_ChangesTypeAndOptionsTogether_AndOnlyWhenTheyDiffer()
    {
        var visualization = New();
        visualization.Reconfigure(Counter, Now.AddMinutes(1));
        visualization.UpdatedAt.ShouldBe(Now);

        var pie = new PieOptions("amount", "day");
        visualization.Reconfigure(pie, Now.AddMinutes(2));

        visualization.Type.ShouldBe(VisualizationType.Pie);
        visualization.Options.ShouldBe(pie);
        visualization.UpdatedAt.ShouldBe(Now.AddMinutes(2));
    }

    [Fact]
    public void AnArchivedVisualization_IsReadOnly_UntilRestored()
    {
        var visualization = New();
        visualization.Archive(Now.AddMinutes(1)).ShouldBeTrue();
        visualization.Archive(Now.AddMinutes(2)).ShouldBeFalse();

        Should.Throw<DomainException>(() => visualization.Rename("Other", Now)).Error.Code.ShouldBe("visualization.archived");
        Should.Throw<DomainException>(() => visualization.Reconfigure(new PieOptions("a", "b"), Now)).Error.Code.ShouldBe("visualization.archived");
        Should.Throw<DomainException>(() => visualization.Retag(["x"], Now)).Error.Code.ShouldBe("visualization.archived");

        visualization.Restore(Now.AddMinutes(3)).ShouldBeTrue();
        visualization.Rename("Other", Now.AddMinutes(4));
        visualization.Name.ShouldBe("Other");
        visualization.Restore(Now.AddMinutes(5)).ShouldBeFalse();
    }
}
