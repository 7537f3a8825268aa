using Ardalis.Specification;
using Loupe.Application.Common.Paging;
using Loupe.Domain.Users;
using Loupe.Infrastructure.Persistence;
using Loupe.Infrastructure.Persistence.Specifications;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Integration.Tests.Persistence;

/// <summary>The shared paging helper and the specification evaluator, translated and run by PostgreSQL itself.</summary>
public sealed class PagingOnPostgresTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private static readonly SortWhitelist<User> Sorts = SortWhitelist<User>.For()
        .Field("name", u => u.Name)
        .Field("created_at", u => u.CreatedAt)
        .TieBreaker(u => u.Id)
        .Default("name");

    [Fact]
    public async Task WalkingAllPages_WithHeavyTies_ReturnsEveryRowOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var organization = await TenantData.CreateOrganizationAsync(database.AppConnection);
        var users = await TenantData.AddUsersAsync(
            database.AppConnection, organization.Id, 57, i => $"Member {i % 4}", i => TenantData.Epoch.AddDays(i % 3));
        await using var context = TenantData.Context(database.AppConnection, organization.Id);

        var seen = new List<Guid>();
        var page = 1;
        while (true)
        {
            var result = await context.Users.AsNoTracking()
                .ToPageAsync(PageRequest.Create(page, 7), Sorts.Parse("-created_at,name"), new QueryExecutor(), ct);
            seen.AddRange(result.Data.Select(u => u.Id));
            result.Pagination.Total.ShouldBe(57);
            if (!result.Pagination.HasNext)
            {
                break;
            }

            page++;
        }

        seen.Count.ShouldBe(57);
        seen.ShouldBe(users.Select(u => u.Id), ignoreOrder: true);
        page.ShouldBe(9);
    }

    [Fact]
    public async Task Specification_IsTranslatedToSqlAndReadsWithoutTracking()
    {
        var ct = TestContext.Current.CancellationToken;
        var organization = await TenantData.CreateOrganizationAsync(database.AppConnection);
        await TenantData.AddUsersAsync(database.AppConnection, organization.Id, 3, i => i switch { 0 => "Spec Beta", 1 => "Spec Alpha", _ => "Other" });

        await using var context = TenantData.Context(database.AppConnection, organization.Id);
        var query = context.Users.WithSpecification(new UsersNamedLike("Spec "));
        var found = await new QueryExecutor().ToListAsync(query, ct);

        query.ToQueryString().ShouldContain("LIKE");
        found.Select(u => u.Name).ShouldBe(["Spec Alpha", "Spec Beta"]);
        context.ChangeTracker.Entries().ShouldBeEmpty();
    }

    private sealed class UsersNamedLike : Specification<User>
    {
        public UsersNamedLike(string prefix)
        {
            Query.Where(u => u.Name.StartsWith(prefix)).OrderBy(u => u.Name).AsNoTracking();
        }
    }
}
