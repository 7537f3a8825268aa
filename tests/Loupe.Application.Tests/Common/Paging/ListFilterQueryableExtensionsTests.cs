using Loupe.Application.Common.Paging;
using static Loupe.Application.Tests.Common.Paging.PagingTestSupport;

namespace Loupe.Application.Tests.Common.Paging;

public class ListFilterQueryableExtensionsTests
{
    [Fact]
    public void ApplyText_MatchesNameOrDescriptionIgnoringCase()
    {
        var byName = NewRow(name: "Monthly REVENUE");
        var byDescription = NewRow(name: "kpi", description: "revenue by region");
        var neither = NewRow(name: "churn", description: null);
        var filter = ListFilter.Parse(Query(("q", "Revenue")));

        var found = new[] { byName, byDescription, neither }.AsQueryable()
            .ApplyText(filter, r => r.Name, r => r.Description)
            .ToList();

        found.ShouldBe([byName, byDescription]);
    }

    [Fact]
    public void ApplyText_WhenNoText_KeepsEveryRow()
    {
        var rows = new[] { NewRow(), NewRow(description: null) };

        rows.AsQueryable().ApplyText(ListFilter.None, r => r.Name, r => r.Description).Count().ShouldBe(2);
    }

    [Fact]
    public void ApplyTags_KeepsRowsCarryingEveryTag()
    {
        var both = NewRow(tags: ["finance", "weekly", "ops"]);
        var one = NewRow(tags: ["finance"]);
        var filter = ListFilter.Parse(Query(("tags", "weekly,finance")));

        new[] { both, one }.AsQueryable().ApplyTags(filter, r => r.Tags).ToList().ShouldBe([both]);
    }

    [Fact]
    public void ApplyCreatedRange_IncludesBothBounds()
    {
        var rows = Enumerable.Range(0, 5).Select(day => NewRow(createdDay: day)).ToList();
        var filter = new ListFilter { CreatedAfter = Epoch.AddDays(1), CreatedBefore = Epoch.AddDays(3) };

        var found = rows.AsQueryable().ApplyCreatedRange(filter, r => r.CreatedAt).ToList();

        found.ShouldBe(rows[1..4]);
    }

    [Fact]
    public void ApplyUpdatedRange_WhenOnlyLowerBound_KeepsLaterRows()
    {
        var rows = Enumerable.Range(0, 3).Select(day => NewRow(updatedDay: day)).ToList();
        var filter = new ListFilter { UpdatedAfter = Epoch.AddDays(2) };

        rows.AsQueryable().ApplyUpdatedRange(filter, r => r.UpdatedAt).ToList().ShouldBe([rows[2]]);
    }

    [Fact]
    public void ApplyOwner_KeepsRowsOfThatOwner()
    {
        var owner = Guid.CreateVersion7();
        var mine = NewRow(ownerId: owner);
        var filter = new ListFilter { OwnerId = owner };

        new[] { mine, NewRow(ownerId: Guid.CreateVersion7()) }.AsQueryable().ApplyOwner(filter, r => r.OwnerId).ToList().ShouldBe([mine]);
    }

    [Fact]
    public void ApplyStatus_ConvertsTextToTheColumnType()
    {
        var archived = NewRow(status: "archived");
        var filter = ListFilter.Parse(Query(("status", "Archived")), ["Active", "Archived"]);

        new[] { NewRow(status: "active"), archived }.AsQueryable()
            .ApplyStatus(filter, r => r.Status, text => text.ToLowerInvariant())
            .ToList()
            .ShouldBe([archived]);
    }

    [Fact]
    public void Filters_PassValuesAsMemberAccessNotConstants()
    {
        var filter = ListFilter.Parse(Query(("q", "secret"), ("owner_id", Guid.Empty.ToString())));

        var expression = Array.Empty<Row>().AsQueryable()
            .ApplyText(filter, r => r.Name)
            .ApplyOwner(filter, r => r.OwnerId)
            .Expression.ToString();

        expression.ShouldNotContain("\"secret\"");
        expression.ShouldContain(".Value");
    }
}
