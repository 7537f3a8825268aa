using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Specifications;
using Loupe.Domain.Organizations;
using Loupe.Infrastructure.Persistence;
using Loupe.Infrastructure.Persistence.Specifications;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Integration.Tests.Persistence;

/// <summary>The shared paging helper and the specification evaluator, translated and run by PostgreSQL itself.</summary>
public sealed class PagingOnPostgresTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly SortWhitelist<Organization> Sorts = SortWhitelist<Organization>.For()
        .Field("name", o => o.Name)
        .Field("created_at", o => o.CreatedAt)
        .TieBreaker(o => o.Id)
        .Default("name");

    [Fact]
    public async Task WalkingAllPages_WithHeavyTies_ReturnsEveryRowOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await using var context = Context();
        var rows = Enumerable.Range(0, 57)
            .Select(i => Organization.Create(Guid.CreateVersion7(), $"Org {i % 4}", start.AddDays(i % 3)))
            .ToList();
        context.Organizations.AddRange(rows);
        await context.SaveChangesAsync(ct);
        var executor = Executor();

        var seen = new List<Guid>();
        var page = 1;
        while (true)
        {
            var result = await context.Organizations.AsNoTracking()
                .Where(o => o.Name.StartsWith("Org "))
                .ToPageAsync(PageRequest.Create(page, 7), Sorts.Parse("-created_at,name"), executor, ct);
            seen.AddRange(result.Data.Select(o => o.Id));
            result.Pagination.Total.ShouldBe(57);
            if (!result.Pagination.HasNext)
            {
                break;
            }

            page++;
        }

        seen.Count.ShouldBe(57);
        seen.ShouldBe(rows.Select(r => r.Id), ignoreOrder: true);
        page.ShouldBe(9);
    }

    [Fact]
    public async Task Specification_IsTranslatedToSqlAndReadsWithoutTracking()
    {
        var ct = TestContext.Current.CancellationToken;
        var now = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        await using (var seed = Context())
        {
            seed.Organizations.AddRange(
                Organization.Create(Guid.CreateVersion7(), "Spec Beta", now),
                Organization.Create(Guid.CreateVersion7(), "Spec Alpha", now),
                Organization.Create(Guid.CreateVersion7(), "Other", now));
            await seed.SaveChangesAsync(ct);
        }

        await using var context = Context();
        var query = context.Organizations.WithSpecification(new OrganizationsNamedLike("Spec "));
        var found = await Executor().ToListAsync(query, ct);

        query.ToQueryString().ShouldContain("LIKE");
        found.Select(o => o.Name).ShouldBe(["Spec Alpha", "Spec Beta"]);
        context.ChangeTracker.Entries().ShouldBeEmpty();
    }

    private LoupeDbContext Context() =>
        new(new DbContextOptionsBuilder<LoupeDbContext>().UseNpgsql(database.AppConnection).Options);

    private static QueryExecutor Executor() => new();

    private sealed class OrganizationsNamedLike : Specification<Organization>
    {
        public OrganizationsNamedLike(string prefix)
        {
            Where(o => o.Name.StartsWith(prefix));
            OrderBy(o => o.Name);
        }
    }
}
