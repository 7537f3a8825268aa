using System.Net.Http.Json;
using Loupe.Application;
using Loupe.Application.Common.Security;
using Loupe.Domain.Users;
using Loupe.Infrastructure;
using Loupe.Infrastructure.Persistence;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Loupe.Integration.Tests.Persistence;

/// <summary>
/// Issue 10 point 5: a failed statement must never leave a pooled connection of Loupe's own out of step
/// with the protocol. Loupe's pools skip Npgsql's session reset and prepare statements automatically
/// (ADR 0017), so every check runs on the pool the host builds, with one connection: every failure
/// lands on the connection the next ordinary request gets.
/// </summary>
public sealed class PoisonedConnectionTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private const int Workers = 6;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IHost Host()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Loupe"] = database.AppConnection,
            ["ConnectionStrings:LoupeOwner"] = database.OwnerConnection,
            ["Database:MigrateOnStartup"] = "false",
            ["Database:MaxPoolSize"] = "1",
            ["Auth:SigningKey"] = LoupeApiFactory.TestSigningKey,
            ["Secrets:ActiveKeyId"] = LoupeApiFactory.TestSecretsKeyId,
            [$"Secrets:Keys:{LoupeApiFactory.TestSecretsKeyId}"] = LoupeApiFactory.TestSecretsKey,
        });
        builder.Services.AddApplication().AddInfrastructure(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public async Task FailingStatements_MixedWithOrdinaryOnes_OnAOneConnectionPool_NeverBreakTheOrdinaryOnes()
    {
        var organization = await TenantData.CreateOrganizationAsync(database.AppConnection);
        var users = await TenantData.AddUsersAsync(database.AppConnection, organization.Id, 3, i => $"User {i}");
        await TenantData.AddUsersAsync(database.AppConnection, organization.Id, 500, i => $"Bulk {i} " + new string('z', 80));
        var workers = await TenantData.AddUsersAsync(database.AppConnection, organization.Id, Workers, i => $"Worker {i}");
        using var host = Host();
        var failures = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var kinds = new[] { "nul-query", "nul-save", "cancel", "unique", "surrogate", "cancel-read", "ordinary", "ordinary", "prepare-refused", "prepare-refused" };
        var counter = 0;
        var texts = 0;
        var ordinaryFailures = new System.Collections.Concurrent.ConcurrentBag<string>();
        async Task Worker(int w)
        {
            var random = new Random(w);
            while (Interlocked.Increment(ref counter) <= 6000)
            {
                var kind = kinds[random.Next(kinds.Length)];
                var iteration = Interlocked.Increment(ref texts);
                await using var scope = host.Services.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(organization.Id);
                var context = scope.ServiceProvider.GetRequiredService<LoupeDbContext>();
                try
                {
                    switch (kind)
                    {
                        case "nul-query":
                            var bad = "a\0b";
                            await context.Users.Where(u => u.Name == bad).ToListAsync(Ct);
                            break;
                        case "surrogate":
                            var lone = "a\ud800b";
                            await context.Users.Where(u => u.Name == lone).ToListAsync(Ct);
                            break;
                        case "nul-save":
                            var user = await context.Users.SingleAsync(u => u.Id == users[1].Id, Ct);
                            user.Rename("x\0y", TenantData.Epoch);
                            await context.SaveChangesAsync(Ct);
                            break;
                        case "cancel":
                            using (var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct))
                            {
                                cts.CancelAfter(TimeSpan.FromMilliseconds(random.Next(10)));
                                await context.Database.SqlQuery<int>($"SELECT 1 AS \"Value\" FROM pg_sleep(0.01)").ToListAsync(cts.Token);
                            }

                            break;
                        case "cancel-read":
                            using (var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct))
                            {
                                cts.CancelAfter(TimeSpan.FromMilliseconds(random.Next(5)));
                                await foreach (var u in context.Users.AsNoTracking().AsAsyncEnumerable().WithCancellation(cts.Token))
                                {
                                    _ = u.Name;
                                }
                            }

                            break;
                        case "prepare-refused":
                            // A SQL text of its own, used three times on the one connection: the second
                            // usage (the one that prepares it) is refused at Bind, the third must run.
                            var sql = $"SELECT id AS \"Value\" FROM users WHERE name = {{0}} /* {w}.{iteration} */";
                            (await context.Database.SqlQueryRaw<Guid>(sql, "User 2").ToListAsync(Ct)).ShouldBe([users[2].Id]);
                            var refused = await Should.ThrowAsync<PostgresException>(() => context.Database.SqlQueryRaw<Guid>(sql, "a\0b").ToListAsync(Ct));
                            refused.SqlState.ShouldBe(PostgresErrorCodes.CharacterNotInRepertoire);
                            try
                            {
                                (await context.Database.SqlQueryRaw<Guid>(sql, "User 2").ToListAsync(Ct)).ShouldBe([users[2].Id]);
                            }
                            catch (Exception e) when (e is not Shouldly.ShouldAssertException)
                            {
                                ordinaryFailures.Add(e.ToString());
                            }

                            break;
                        case "unique":
                            context.Users.Add(User.Register(Guid.CreateVersion7(), organization.Id, users[0].Email, "dup", users[0].PasswordHash, Domain.Organizations.Role.Viewer, false, TenantData.Epoch));
                            await context.SaveChangesAsync(Ct);
                            break;
                        default:
                            var name = "User 2";
                            var found = await context.Users.Where(u => u.Name == name).Select(u => u.Id).ToListAsync(Ct);
                            found.ShouldBe([users[2].Id]);
                            var n = await context.Users.CountAsync(Ct);
                            n.ShouldBe(509);
                            var renamed = await context.Users.SingleAsync(u => u.Id == workers[w].Id, Ct);
                            renamed.Rename("Worker " + random.Next(), TenantData.Epoch);
                            await context.SaveChangesAsync(Ct);
                            break;
                    }
                }
                catch (Exception e) when (kind != "ordinary")
                {
                    var key = kind + ": " + e.GetType().Name + " " + (e.InnerException?.GetType().Name ?? string.Empty) + " " + ((e as PostgresException ?? e.InnerException as PostgresException)?.SqlState);
                    failures.AddOrUpdate(key, 1, (_, v) => v + 1);
                }
                catch (Exception e)
                {
                    ordinaryFailures.Add(e.ToString());
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(() => Worker(w), Ct)));
        foreach (var (k, v) in failures.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{k}: {v}");
        }

        ordinaryFailures.Take(3).ShouldBeEmpty();

        // Every failing kind really failed, many times over, in the way it is meant to.
        failures.Keys.ShouldContain(k => k.StartsWith("nul-query: PostgresException", StringComparison.Ordinal) && k.EndsWith("22021", StringComparison.Ordinal));
        failures.Keys.ShouldContain(k => k.StartsWith("nul-save: DbUpdateException PostgresException", StringComparison.Ordinal));
        failures.Keys.ShouldContain(k => k.StartsWith("surrogate: EncoderFallbackException", StringComparison.Ordinal));
        failures.Keys.ShouldContain(k => k.StartsWith("unique: DbUpdateException PostgresException", StringComparison.Ordinal));
        failures.Keys.ShouldContain(k => k.StartsWith("cancel", StringComparison.Ordinal));
        failures.Keys.ShouldNotContain(k => k.StartsWith("prepare-refused", StringComparison.Ordinal));
    }
}

/// <summary>The same through the HTTP API: NUL characters in requests beside other people's ordinary ones, on a one-connection pool.</summary>
public sealed class PoisonedConnectionApiTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task RequestsWithNulCharacters_NeverBreakAnotherUsersRequests_OnAOneConnectionPool()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = LoupeApiFactory.For(database, settings: new Dictionary<string, string?> { ["Database:MaxPoolSize"] = "1" });
        var identity = new IdentityDriver(factory);
        var attacker = await identity.RegisterAsync();
        var others = new List<Member>();
        for (var w = 0; w < 4; w++)
        {
            others.Add(await identity.RegisterAsync());
        }

        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var broken = new System.Collections.Concurrent.ConcurrentBag<string>();
        var count = 0;
        async Task Loop(int w)
        {
            var random = new Random(w);
            var other = others[w];
            using var anonymous = identity.Anonymous();
            using var aborting = identity.ClientWith(attacker.AccessToken);
            aborting.Timeout = TimeSpan.FromMilliseconds(30);
            while (Interlocked.Increment(ref count) <= 1500)
            {
                var i = count;
                (string Name, bool Ordinary, Func<Task<HttpResponseMessage>> Send)[] requests =
                [
                    ("patch /me nul", false, () => attacker.Client.PatchAsync("/api/v1/me", JsonContent.Create(new { name = "x\0y" }), ct)),
                    ("queries q nul", false, () => attacker.Client.GetAsync("/api/v1/queries?q=%00", ct)),
                    ("users q nul", false, () => attacker.Client.GetAsync("/api/v1/organization/users?q=%00", ct)),
                    ("audit action nul", false, () => attacker.Client.GetAsync("/api/v1/audit-events?action=%00", ct)),
                    ("patch /organization nul", false, () => attacker.Client.PatchAsync("/api/v1/organization", JsonContent.Create(new { name = "x\0y" }), ct)),
                    ("register nul", false, () => anonymous.PostAsync("/api/v1/auth/register", JsonContent.Create(new { email = $"n{i}.{Guid.NewGuid():N}@example.com", password = IdentityDriver.Password, name = "a\0b", organization_name = "o\0p" }), ct)),
                    ("aborted read", false, () => aborting.GetAsync("/api/v1/audit-events?per_page=100", ct)),
                    ("patch /me", true, () => other.Client.PatchAsync("/api/v1/me", JsonContent.Create(new { name = $"Other {w} {i}" }), ct)),
                    ("get /me", true, () => other.Client.GetAsync("/api/v1/me", ct)),
                    ("register", true, () => anonymous.PostAsync("/api/v1/auth/register", JsonContent.Create(new { email = $"ok{i}.{Guid.NewGuid():N}@example.com", password = IdentityDriver.Password, name = "Someone", organization_name = $"Org {i}" }), ct)),
                ];
                var (name, ordinary, send) = requests[random.Next(requests.Length)];
                try
                {
                    using var response = await send();
                    statuses.AddOrUpdate($"{name} {(int)response.StatusCode}", 1, (_, v) => v + 1);
                    if (ordinary && !response.IsSuccessStatusCode)
                    {
                        broken.Add($"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                    }
                }
                catch (TaskCanceledException) when (!ordinary && !ct.IsCancellationRequested)
                {
                    statuses.AddOrUpdate($"{name} aborted", 1, (_, v) => v + 1);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, others.Count).Select(w => Task.Run(() => Loop(w), ct)));
        foreach (var (k, v) in statuses.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{k}: {v}");
        }

        broken.Take(3).ShouldBeEmpty();
        factory.Logs.Lines.Select(line => line.Exception?.ToString() ?? line.Message)
            .Where(text => text.Contains("unexpected backend message", StringComparison.OrdinalIgnoreCase))
            .ShouldBeEmpty();
    }
}
