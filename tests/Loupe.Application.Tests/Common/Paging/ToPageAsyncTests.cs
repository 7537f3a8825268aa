using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Application.Common.Paging;
using Loupe.Domain.Common;
using static Loupe.Application.Tests.Common.Paging.PagingTestSupport;

namespace Loupe.Application.Tests.Common.Paging;

public class ToPageAsyncTests
{
    private static readonly string[] SortableFields = ["name", "priority", "created_at", "updated_at"];

    [Property(MaxTest = 300)]
    public Property WalkingAllPages_ForAnySortAndPageSize_ReturnsEveryRowOnceInFullSortOrder()
    {
        // Few distinct values per column, so most sort keys tie and only the tie-breaker orders rows.
        // Every query reads the rows in a fresh random order, as a database may return tied rows:
        // LINQ to objects' stable sort would otherwise hide a missing tie-breaker.
        var row =
            from name in Gen.Elements("alpha", "beta", "Beta", "gamma")
            from priority in Gen.Choose(0, 2)
            from createdDay in Gen.Choose(0, 1)
            from updatedDay in Gen.Choose(0, 2)
            select NewRow(name: name, priority: priority, createdDay: createdDay, updatedDay: updatedDay);
        var sort = Gen.SubListOf<string>(SortableFields)
            .SelectMany(fields => Gen.Shuffle<string>(fields))
            .SelectMany(fields => Gen.CollectToList<string, string>(fields, f => Gen.Elements(f, "-" + f)))
            .Select(keys => string.Join(',', keys));
        var cases =
            from rows in Gen.ListOf(row).Resize(250)
            from perPage in Gen.Frequency((3, Gen.Choose(1, 10)), (1, Gen.Choose(1, PageRequest.MaxPerPage)))
            from sortText in sort
            from seed in Gen.Choose(0, int.MaxValue)
            select (Rows: rows, PerPage: perPage, Sort: sortText, Seed: seed);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var spec = Sorts.Parse(c.Sort);
            var storage = new Random(c.Seed);
            var expected = spec.Apply(InStorageOrder(c.Rows, storage)).Select(r => r.Id).ToList();
            var walked = WalkAllPages(c.Rows, spec, c.PerPage, storage);

            return walked.SequenceEqual(expected) && walked.Distinct().Count() == c.Rows.Count;
        });
    }

    /// <summary>
    /// Entities are paged ids first (the page's ids, then those rows sorted again): walking every page
    /// still returns each one once, in the full sort order, whatever the ties. Kept small: LINQ to
    /// objects runs the ids step again for every row it filters.
    /// </summary>
    [Property(MaxTest = 30)]
    public Property WalkingAllPagesOfEntities_IdsFirst_ReturnsEveryRowOnceInFullSortOrder()
    {
        var item =
            from name in Gen.Elements("alpha", "beta", "gamma")
            from priority in Gen.Choose(0, 2)
            select new Item(Guid.NewGuid(), name, priority);
        var sort = Gen.Elements("name", "-name", "priority,-name", "-priority", "-name,priority");
        var cases =
            from items in Gen.ListOf(item).Resize(20)
            from perPage in Gen.Choose(4, 10)
            from sortText in sort
            from seed in Gen.Choose(0, int.MaxValue)
            select (Items: items, PerPage: perPage, Sort: sortText, Seed: seed);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var spec = Items.Parse(c.Sort);
            var storage = new Random(c.Seed);
            var stored = c.Items.OrderBy(_ => storage.Next()).ToList().AsQueryable();
            var expected = spec.Apply(stored).Select(i => i.Id).ToList();
            var walked = new List<Guid>();
            for (var number = 1; ; number++)
            {
                var page = stored.ToPageAsync(PageRequest.Create(number, c.PerPage), spec, i => i.Id, new InMemoryQueryExecutor(), CancellationToken.None)
                    .GetAwaiter().GetResult();
                walked.AddRange(page.Data);
                if (!page.Pagination.HasNext)
                {
                    break;
                }
            }

            return walked.SequenceEqual(expected) && walked.Distinct().Count() == c.Items.Count;
        });
    }

    [Fact]
    public async Task ToPageAsync_WhenMiddlePage_ReturnsItsRowsAndPagination()
    {
        var rows = Enumerable.Range(0, 45).Select(i => NewRow(priority: i)).ToList();

        var page = await rows.AsQueryable().ToPageAsync(
            PageRequest.Create(2, 20), Sorts.Parse("priority"), new InMemoryQueryExecutor(), TestContext.Current.CancellationToken);

        page.Data.Select(r => r.Priority).ShouldBe(Enumerable.Range(20, 20));
        page.Pagination.ShouldBe(Pagination.Create(PageRequest.Create(2, 20), 45));
        page.Pagination.TotalPages.ShouldBe(3);
        page.Pagination.HasNext.ShouldBeTrue();
        page.Pagination.HasPrev.ShouldBeTrue();
    }

    [Fact]
    public async Task ToPageAsync_WithProjection_SortsOnEntityThenProjects()
    {
        var rows = new[] { NewRow(name: "b", priority: 1), NewRow(name: "a", priority: 2), NewRow(name: "c", priority: 0) };

        var page = await rows.AsQueryable().ToPageAsync(
            PageRequest.Default, Sorts.Parse("-priority"), r => r.Name, new InMemoryQueryExecutor(), TestContext.Current.CancellationToken);

        page.Data.ShouldBe(["a", "b", "c"]);
        page.Pagination.Total.ShouldBe(3);
    }

    [Fact]
    public async Task ToPageAsync_WhenPagePastTheEnd_ReturnsNoRowsWithoutFetching()
    {
        var executor = new InMemoryQueryExecutor();
        var rows = new[] { NewRow(), NewRow() };

        var page = await rows.AsQueryable().ToPageAsync(
            PageRequest.Create(5, 1), Sorts.Parse(null), executor, TestContext.Current.CancellationToken);

        page.Data.ShouldBeEmpty();
        page.Pagination.Total.ShouldBe(2);
        page.Pagination.HasNext.ShouldBeFalse();
        page.Pagination.HasPrev.ShouldBeTrue();
        executor.Queries.ShouldBe(1);
    }

    [Fact]
    public async Task ToPageAsync_WithListParameters_UsesItsPageAndSort()
    {
        var rows = Enumerable.Range(0, 5).Select(i => NewRow(priority: i)).ToList();
        var parameters = ListParameters.Parse(Query(("per_page", "2"), ("page", "2"), ("sort", "-priority")), Sorts);

        var page = await rows.AsQueryable().ToPageAsync(parameters, new InMemoryQueryExecutor(), TestContext.Current.CancellationToken);

        page.Data.Select(r => r.Priority).ShouldBe([2, 1]);
    }

    private static IQueryable<Row> InStorageOrder(List<Row> rows, Random storage) =>
        rows.OrderBy(_ => storage.Next()).ToList().AsQueryable();

    private static List<Guid> WalkAllPages(List<Row> rows, SortSpec<Row> spec, int perPage, Random storage)
    {
        var executor = new InMemoryQueryExecutor();
        var walked = new List<Guid>();
        for (var number = 1; ; number++)
        {
            var page = InStorageOrder(rows, storage)
                .ToPageAsync(PageRequest.Create(number, perPage), spec, r => r.Id, executor, CancellationToken.None)
                .GetAwaiter().GetResult();
            walked.AddRange(page.Data);
            if (!page.Pagination.HasNext)
            {
                return walked;
            }
        }
    }

    private static readonly SortWhitelist<Item> Items = SortWhitelist<Item>.For()
        .Field("name", i => i.Name)
        .Field("priority", i => i.Priority)
        .TieBreaker(i => i.Id)
        .Default("name");

    private sealed class Item(Guid id, string name, int priority) : Entity(id)
    {
        public string Name { get; } = name;

        public int Priority { get; } = priority;
    }
}
