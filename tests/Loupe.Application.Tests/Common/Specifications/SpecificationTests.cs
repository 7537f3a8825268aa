using Loupe.Application.Common.Specifications;
using Loupe.Application.Tests.Common.Paging;
using static Loupe.Application.Tests.Common.Paging.PagingTestSupport;

namespace Loupe.Application.Tests.Common.Specifications;

public class SpecificationTests
{
    [Fact]
    public void ApplyTo_CombinesCriteriaWithAnd()
    {
        var owner = Guid.CreateVersion7();
        var match = NewRow(ownerId: owner, status: "active");
        var rows = new[] { match, NewRow(ownerId: owner, status: "archived"), NewRow(status: "active") };

        new ActiveRowsOf(owner).ApplyTo(rows.AsQueryable()).ToList().ShouldBe([match]);
    }

    [Fact]
    public void ApplyTo_OrdersByKeysInTheOrderGiven()
    {
        var owner = Guid.CreateVersion7();
        var rows = new[]
        {
            NewRow(ownerId: owner, priority: 1, name: "b"),
            NewRow(ownerId: owner, priority: 2, name: "a"),
            NewRow(ownerId: owner, priority: 1, name: "a"),
        };

        var ordered = new ActiveRowsOf(owner).ApplyTo(rows.AsQueryable()).ToList();

        ordered.ShouldBe([rows[1], rows[2], rows[0]]);
    }

    [Fact]
    public void ApplyTo_WithoutOrdering_KeepsSourceOrder()
    {
        var rows = new[] { NewRow(name: "b"), NewRow(name: "a") };

        new RowsForUpdate().ApplyTo(rows.AsQueryable()).ToList().ShouldBe(rows);
    }

    [Fact]
    public void AsNoTracking_IsTheDefaultForReads()
    {
        new ActiveRowsOf(Guid.Empty).AsNoTracking.ShouldBeTrue();
        new RowsForUpdate().AsNoTracking.ShouldBeFalse();
    }

    [Fact]
    public void Includes_KeepTheNavigationLambdasInOrder()
    {
        var includes = new ActiveRowsOf(Guid.Empty).Includes;

        includes.Select(i => i.ToString()).ShouldBe(["r => r.Tags", "r => r.Description"]);
        includes[0].ReturnType.ShouldBe(typeof(string[]));
    }

    private sealed class ActiveRowsOf : Specification<Row>
    {
        public ActiveRowsOf(Guid ownerId)
        {
            Where(r => r.OwnerId == ownerId);
            Where(r => r.Status == "active");
            Include(r => r.Tags);
            Include(r => r.Description);
            OrderBy(r => r.Priority, descending: true);
            OrderBy(r => r.Name);
        }
    }

    private sealed class RowsForUpdate : Specification<Row>
    {
        public RowsForUpdate() => AsTracking();
    }
}
