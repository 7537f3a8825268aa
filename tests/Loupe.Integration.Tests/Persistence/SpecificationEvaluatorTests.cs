using System.Data.Common;
using Ardalis.Specification;
using Loupe.Domain.Users;
using Loupe.Infrastructure.Persistence.Specifications;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Loupe.Integration.Tests.Persistence;

/// <summary>
/// Loupe's evaluator of Ardalis specifications, clause by clause, translated and run by PostgreSQL:
/// on the real model (users) and, for include chains, on a small model of its own.
/// </summary>
public sealed class SpecificationEvaluatorTests(DatabaseFixture database, SpecificationEvaluatorTests.ShelfDatabase shelves)
    : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>, IClassFixture<SpecificationEvaluatorTests.ShelfDatabase>
{
    [Fact]
    public async Task Where_KeepsOnlyRowsMeetingEveryCriterion()
    {
        var (organization, _) = await AddUsersAsync("Alpha", "Beta", "Alpha Beta");
        await using var context = TenantData.Context(database.AppConnection, organization);

        var found = await context.Users.WithSpecification(new UsersNamed("Alpha", "Beta")).ToListAsync(TestContext.Current.CancellationToken);

        found.Select(u => u.Name).ShouldBe(["Alpha Beta"]);
    }

    [Fact]
    public async Task OrderThenOrderAndPaging_AreTranslatedAndPickTheRightRows()
    {
        var (organization, users) = await AddUsersAsync("c", "a", "b", "a", "d");
        await using var context = TenantData.Context(database.AppConnection, organization);
        var specification = new UsersByNameThenNewest(skip: 1, take: 3);

        var query = context.Users.WithSpecification(specification);
        var found = await query.ToListAsync(TestContext.Current.CancellationToken);

        var expected = users.OrderBy(u => u.Name, StringComparer.Ordinal).ThenByDescending(u => u.CreatedAt).Skip(1).Take(3);
        found.Select(u => u.Id).ShouldBe(expected.Select(u => u.Id));
        query.ToQueryString().ShouldSatisfyAllConditions(
            sql => sql.ShouldContain("ORDER BY u.name, u.created_at DESC"),
            sql => sql.ShouldContain("LIMIT"),
            sql => sql.ShouldContain("OFFSET"));
    }

    [Fact]
    public async Task AsNoTracking_LeavesTheChangeTrackerEmpty()
    {
        var (organization, _) = await AddUsersAsync("Untracked");
        await using var context = TenantData.Context(database.AppConnection, organization);

        await context.Users.AsTracking().WithSpecification(new AllUsersUntracked()).ToListAsync(TestContext.Current.CancellationToken);

        context.ChangeTracker.Entries().ShouldBeEmpty();
    }

    [Fact]
    public async Task AsTracking_TracksEvenOnAnUntrackedSource()
    {
        var (organization, _) = await AddUsersAsync("Tracked");
        await using var context = TenantData.Context(database.AppConnection, organization);

        await context.Users.AsNoTracking().WithSpecification(new AllUsersTracked()).ToListAsync(TestContext.Current.CancellationToken);

        context.ChangeTracker.Entries<User>().Count().ShouldBe(1);
    }

    [Fact]
    public async Task Select_ReadsOnlyTheSelectedColumn()
    {
        var (organization, _) = await AddUsersAsync("Second", "First");
        await using var context = TenantData.Context(database.AppConnection, organization);

        var query = context.Users.WithSpecification(new NamesOfUsers());
        var names = await query.ToListAsync(TestContext.Current.CancellationToken);

        names.ShouldBe(["First", "Second"]);
        query.ToQueryString().ShouldNotContain("password_hash");
    }

    [Fact]
    public async Task TagWith_NamesTheSpecificationInTheSql()
    {
        var (organization, _) = await AddUsersAsync("Tagged");
        await using var context = TenantData.Context(database.AppConnection, organization);

        context.Users.WithSpecification(new UsersTagged()).ToQueryString().ShouldContain("-- users.tagged");
    }

    [Fact]
    public async Task WithCriteriaOf_CountsEveryMatchRegardlessOfPaging()
    {
        var (organization, _) = await AddUsersAsync("a", "b", "c", "d");
        await using var context = TenantData.Context(database.AppConnection, organization);
        var specification = new UsersByNameThenNewest(skip: 1, take: 2);

        var count = await context.Users.WithCriteriaOf(specification).CountAsync(TestContext.Current.CancellationToken);
        var page = await context.Users.WithSpecification(specification).CountAsync(TestContext.Current.CancellationToken);

        count.ShouldBe(4);
        page.ShouldBe(2);
    }

    [Fact]
    public async Task IncludeThenInclude_AfterACollection_LoadsBothLevels()
    {
        await using var context = shelves.Context();

        var shelf = await context.Shelves.WithSpecification(new ShelfWithBooksAndAuthors()).SingleAsync(TestContext.Current.CancellationToken);

        shelf.Books.Select(b => (b.Title, b.Author?.Name)).ShouldBe([("Dune", "Herbert"), ("Emma", "Austen")], ignoreOrder: true);
    }

    [Fact]
    public async Task IncludeThenInclude_AfterAReference_LoadsBothLevels()
    {
        await using var context = shelves.Context();

        var books = await context.Books.WithSpecification(new BooksWithShelfAndOwner()).ToListAsync(TestContext.Current.CancellationToken);

        books.Count.ShouldBe(2);
        books.ShouldAllBe(b => b.Shelf != null && b.Shelf.Owner != null && b.Shelf.Owner.Name == "Ann");
    }

    [Fact]
    public async Task WithoutInclude_LeavesNavigationsUnloaded()
    {
        await using var context = shelves.Context();

        var shelf = await context.Shelves.AsNoTracking().SingleAsync(TestContext.Current.CancellationToken);

        shelf.Books.ShouldBeEmpty();
    }

    [Fact]
    public async Task AsSplitQuery_LoadsACollectionWithASecondCommand()
    {
        var commands = new CommandCounter();
        await using (var single = shelves.Context(commands))
        {
            await single.Shelves.WithSpecification(new ShelfWithBooksAndAuthors()).ToListAsync(TestContext.Current.CancellationToken);
        }

        var inOneQuery = commands.Count;
        await using (var split = shelves.Context(commands))
        {
            var shelf = await split.Shelves.WithSpecification(new ShelfWithBooksAndAuthors(split: true)).SingleAsync(TestContext.Current.CancellationToken);
            shelf.Books.Count.ShouldBe(2);
        }

        inOneQuery.ShouldBe(1);
        (commands.Count - inOneQuery).ShouldBe(2);
    }

    public static TheoryData<string> UnsupportedClauses() =>
        ["IgnoreQueryFilters", "IgnoreAutoIncludes", "AsNoTrackingWithIdentityResolution", "EnableCache", "PostProcessingAction", "Search", "Include(string)"];

    [Theory]
    [MemberData(nameof(UnsupportedClauses))]
    public async Task UnsupportedClause_FailsLoudlyNamingIt(string clause)
    {
        await using var context = TenantData.Context(database.AppConnection, Guid.CreateVersion7());
        var specification = new UsersWithClause(clause);

        var listing = Should.Throw<NotSupportedException>(() => context.Users.WithSpecification(specification));
        var counting = Should.Throw<NotSupportedException>(() => context.Users.WithCriteriaOf(specification));

        listing.Message.ShouldContain($"uses {clause},");
        counting.Message.ShouldContain($"uses {clause},");
    }

    [Fact]
    public async Task SelectMany_FailsLoudly()
    {
        await using var context = TenantData.Context(database.AppConnection, Guid.CreateVersion7());

        Should.Throw<NotSupportedException>(() => context.Users.WithSpecification(new LettersOfNames()))
            .Message.ShouldContain("uses SelectMany,");
    }

    private async Task<(Guid Organization, IReadOnlyList<User> Users)> AddUsersAsync(params string[] names)
    {
        var organization = await TenantData.CreateOrganizationAsync(database.AppConnection);
        var users = await TenantData.AddUsersAsync(database.AppConnection, organization.Id, names.Length, i => names[i], i => TenantData.Epoch.AddMinutes(i));
        return (organization.Id, users);
    }

    private sealed class UsersNamed : Specification<User>
    {
        public UsersNamed(string first, string second) => Query.Where(u => u.Name.Contains(first)).Where(u => u.Name.Contains(second));
    }

    private sealed class UsersByNameThenNewest : Specification<User>
    {
        public UsersByNameThenNewest(int skip, int take) => Query.OrderBy(u => u.Name).ThenByDescending(u => u.CreatedAt).Skip(skip).Take(take);
    }

    private sealed class AllUsersUntracked : Specification<User>
    {
        public AllUsersUntracked() => Query.AsNoTracking();
    }

    private sealed class AllUsersTracked : Specification<User>
    {
        public AllUsersTracked() => Query.AsTracking();
    }

    private sealed class NamesOfUsers : Specification<User, string>
    {
        public NamesOfUsers()
        {
            Query.OrderBy(u => u.Name);
            Query.Select(u => u.Name);
        }
    }

    private sealed class LettersOfNames : Specification<User, char>
    {
        public LettersOfNames() => Query.SelectMany(u => u.Name.ToCharArray());
    }

    private sealed class UsersTagged : Specification<User>
    {
        public UsersTagged() => Query.TagWith("users.tagged");
    }

    private sealed class UsersWithClause : Specification<User>
    {
        public UsersWithClause(string clause)
        {
            _ = clause switch
            {
                "IgnoreQueryFilters" => Query.IgnoreQueryFilters(),
                "IgnoreAutoIncludes" => Query.IgnoreAutoIncludes(),
                "AsNoTrackingWithIdentityResolution" => Query.AsNoTrackingWithIdentityResolution(),
                "EnableCache" => Query.EnableCache("users", 1),
                "PostProcessingAction" => Query.PostProcessingAction(users => users),
                "Search" => Query.Search(u => u.Name, "%a%"),
                "Include(string)" => Query.Include("Sessions"),
                _ => throw new ArgumentOutOfRangeException(nameof(clause)),
            };
        }
    }

    private sealed class ShelfWithBooksAndAuthors : Specification<Shelf>
    {
        public ShelfWithBooksAndAuthors(bool split = false)
        {
            Query.Include(s => s.Books).ThenInclude(b => b.Author).AsNoTracking();
            if (split)
            {
                Query.AsSplitQuery();
            }
        }
    }

    private sealed class BooksWithShelfAndOwner : Specification<Book>
    {
        public BooksWithShelfAndOwner() => Query.Include(b => b.Shelf).ThenInclude(s => s!.Owner).AsNoTracking();
    }

    public sealed class Owner
    {
        public Guid Id { get; set; }

        public string Name { get; set; } = string.Empty;
    }

    public sealed class Shelf
    {
        public Guid Id { get; set; }

        public Owner? Owner { get; set; }

        public List<Book> Books { get; set; } = [];
    }

    public sealed class Author
    {
        public Guid Id { get; set; }

        public string Name { get; set; } = string.Empty;
    }

    public sealed class Book
    {
        public Guid Id { get; set; }

        public string Title { get; set; } = string.Empty;

        public Shelf? Shelf { get; set; }

        public Author? Author { get; set; }
    }

    public sealed class ShelfContext(DbContextOptions<ShelfContext> options) : DbContext(options)
    {
        public DbSet<Shelf> Shelves => Set<Shelf>();

        public DbSet<Book> Books => Set<Book>();
    }

    /// <summary>A database of its own holding one shelf (owned by Ann) with two books, each by its author.</summary>
    public sealed class ShelfDatabase : IAsyncLifetime
    {
        private string _name = string.Empty;

        public ShelfContext Context(IInterceptor? interceptor = null)
        {
            var options = new DbContextOptionsBuilder<ShelfContext>().UseNpgsql(TestPostgres.OwnerConnection(_name));
            if (interceptor is not null)
            {
                options.AddInterceptors(interceptor);
            }

            return new ShelfContext(options.Options);
        }

        public async ValueTask InitializeAsync()
        {
            _name = await TestPostgres.CreateEmptyDatabaseAsync();
            await using var context = Context();
            await context.Database.EnsureCreatedAsync();
            context.Shelves.Add(new Shelf
            {
                Id = Guid.CreateVersion7(),
                Owner = new Owner { Id = Guid.CreateVersion7(), Name = "Ann" },
                Books =
                [
                    new Book { Id = Guid.CreateVersion7(), Title = "Dune", Author = new Author { Id = Guid.CreateVersion7(), Name = "Herbert" } },
                    new Book { Id = Guid.CreateVersion7(), Title = "Emma", Author = new Author { Id = Guid.CreateVersion7(), Name = "Austen" } },
                ],
            });
            await context.SaveChangesAsync();
        }

        public async ValueTask DisposeAsync() => await TestPostgres.DropDatabaseAsync(_name);
    }

    private sealed class CommandCounter : DbCommandInterceptor
    {
        public int Count { get; private set; }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Count++;
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
