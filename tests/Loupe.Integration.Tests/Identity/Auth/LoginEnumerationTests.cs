using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.Identity.Auth;

/// <summary>
/// A refused sign-in must not tell who has an account by the work done before its answer: a known
/// address with a wrong password and an unknown address issue the same statements on the request
/// path. This host runs no job engine, so what a request did on its own path stays visible.
/// </summary>
public sealed partial class LoginEnumerationTests(StatementTracingAuthHost host) : ResetBeforeEachTest(host), IClassFixture<StatementTracingAuthHost>
{
    [Fact]
    public async Task RefusedLogins_ForAKnownAndAnUnknownEmail_IssueTheSameStatementsOnTheRequestPath_AndQueueOneJobEach()
    {
        var known = AuthApi.NewEmail("known");
        await host.Anonymous.RegisteredAsync(known);

        using var statements = new StatementRecorder();

        // A first round warms what each connection prepares; the second is compared.
        foreach (var round in new[] { "warm", "compared" })
        {
            var unknown = AuthApi.NewEmail("unknown");
            var knownWork = await statements.OfRequestAsync(trace => LoginAsync(known, "not the password", trace));
            var unknownWork = await statements.OfRequestAsync(trace => LoginAsync(unknown, "not the password", trace));

            if (round == "compared")
            {
                knownWork.ShouldNotBeEmpty();
                unknownWork.ShouldBe(knownWork, $"known: {string.Join(" | ", knownWork)}\nunknown: {string.Join(" | ", unknownWork)}");

                // The work of the failure is the job's: queued for both, and nothing written for the account yet.
                (await JobRows.CountAsync(host.DatabaseName, $"WHERE kind = 'auth.login_failed' AND payload LIKE '%{unknown}%' AND state = 'queued' AND organization_id IS NULL")).ShouldBe(1);
            }
        }

        (await JobRows.CountAsync(host.DatabaseName, $"WHERE kind = 'auth.login_failed' AND payload LIKE '%{known}%' AND state = 'queued' AND organization_id IS NULL")).ShouldBe(2);
        (await OwnerCountAsync("SELECT count(*) FROM audit_events a JOIN users u ON u.id = a.target_id WHERE u.email = @email AND a.action = 'auth.login_failed'", known)).ShouldBe(0);
        (await OwnerCountAsync("SELECT cardinality(recent_failed_logins) FROM users WHERE email = @email", known)).ShouldBe(0);
    }

    private async Task<HttpResponseMessage> LoginAsync(string email, string password, ActivityTraceId trace)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
        {
            Content = JsonContent.Create(new { email, password }),
        };
        var response = await host.Anonymous.SendInTraceAsync(request, trace);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        return response;
    }

    private async Task<long> OwnerCountAsync(string sql, string email)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(host.DatabaseName));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("email", email);
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", RegexOptions.IgnoreCase)]
    private static partial Regex GuidLiteral();

    /// <summary>
    /// Records the statement text of every command Npgsql runs within one request: the client sends a
    /// W3C <c>traceparent</c> of its own, the host's request activity continues that trace, and Npgsql's
    /// command activities belong to it, with their text (the host keeps it: <c>Database:TraceStatementText</c>). Identifiers inlined in the text (the organization a statement is
    /// scoped to) are replaced by a placeholder: they are the only part that differs between accounts.
    /// </summary>
    private sealed class StatementRecorder : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<(ActivityTraceId Trace, string Text)> _commands = new();

        public StatementRecorder()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (activity.Source.Name == "Npgsql" && activity.GetTagItem("db.query.text") is string text)
                    {
                        _commands.Enqueue((activity.TraceId, text));
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public async Task<IReadOnlyList<string>> OfRequestAsync(Func<ActivityTraceId, Task<HttpResponseMessage>> send)
        {
            var trace = ActivityTraceId.CreateRandom();
            using var response = await send(trace);
            return [.. _commands.Where(c => c.Trace == trace).Select(c => GuidLiteral().Replace(c.Text, "<id>"))];
        }

        public void Dispose() => _listener.Dispose();
    }
}

/// <summary>An <see cref="AuthHost"/> whose own statements keep their SQL text on their trace spans.</summary>
public sealed class StatementTracingAuthHost() : AuthHost(new Dictionary<string, string?> { ["Database:TraceStatementText"] = "true" });

/// <summary>A host running the job engine whose lockout takes three failures.</summary>
public sealed class ThreeFailuresHost : JobsAuthHost
{
    public const int MaxFailures = 3;

    public ThreeFailuresHost()
        : base(new Dictionary<string, string?>
        {
            ["Auth:Lockout:MaxFailures"] = MaxFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),

            // Every test of the class signs in from the same address.
            ["RateLimits:Scopes:auth.ip:PermitLimit"] = "100",
        })
    {
    }
}

/// <summary>The job of a refused sign-in counts the failure, audits it, and locks the account at the configured count.</summary>
public sealed class LoginFailedJobTests(ThreeFailuresHost host) : ResetBeforeEachTest(host), IClassFixture<ThreeFailuresHost>
{
    [Fact]
    public async Task TheJob_CountsEachFailure_AndLocksTheAccountAtTheConfiguredNumber()
    {
        var email = AuthApi.NewEmail("victim");
        var registered = await host.Anonymous.RegisteredAsync(email);

        await FailAsync(email, ThreeFailuresHost.MaxFailures - 1);
        (await UserStateAsync(email)).ShouldBe((ThreeFailuresHost.MaxFailures - 1, false));

        await FailAsync(email, 1);
        (await UserStateAsync(email)).ShouldBe((0, true));
        using var rightPassword = await host.Anonymous.LoginAsync(email);
        rightPassword.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await host.LoginFailedJobsDoneAsync();

        using var admin = host.Identity.ClientWith(registered.AccessToken);
        var userId = (await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/me", TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
        var actions = await admin.AuditActionsAboutAsync(userId);
        actions.Count(a => a == "auth.login_failed").ShouldBe(ThreeFailuresHost.MaxFailures + 1);
        actions.Count(a => a == "auth.locked_out").ShouldBe(1);
        (await JobRows.CountAsync(host.DatabaseName, $"WHERE kind = 'auth.login_failed' AND payload LIKE '%{email}%' AND state = 'succeeded'"))
            .ShouldBe(ThreeFailuresHost.MaxFailures + 1);
    }

    [Fact]
    public async Task JobsOfRefusalsSentTogether_EachCountOnce_AndExactlyOneLocksTheAccount()
    {
        const int Refusals = 6;
        var email = AuthApi.NewEmail("together");
        var registered = await host.Anonymous.RegisteredAsync(email);

        // Sent together, their jobs run side by side and save the same account: all but one meet a conflict.
        var answers = await Task.WhenAll(Enumerable.Range(0, Refusals).Select(async i =>
        {
            using var failed = await host.Anonymous.LoginAsync(email, $"wrong password {i}");
            return failed.StatusCode;
        }));
        answers.ShouldAllBe(status => status == HttpStatusCode.Unauthorized);
        await host.LoginFailedJobsDoneAsync();

        (await UserStateAsync(email)).ShouldBe((0, true));
        (await JobRows.CountAsync(host.DatabaseName, $"WHERE kind = 'auth.login_failed' AND payload LIKE '%{email}%' AND state = 'succeeded'")).ShouldBe(Refusals);
        using var admin = host.Identity.ClientWith(registered.AccessToken);
        var userId = (await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/me", TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
        var actions = await admin.AuditActionsAboutAsync(userId);
        actions.Count(a => a == "auth.login_failed").ShouldBe(Refusals);
        actions.Count(a => a == "auth.locked_out").ShouldBe(1);
    }

    [Fact]
    public async Task TheJobOfAnUnknownEmail_DoesNothing()
    {
        var email = AuthApi.NewEmail("nobody");

        await FailAsync(email, 1);

        (await JobRows.CountAsync(host.DatabaseName, $"WHERE kind = 'auth.login_failed' AND payload LIKE '%{email}%' AND state = 'succeeded'")).ShouldBe(1);
    }

    private async Task FailAsync(string email, int times)
    {
        for (var i = 0; i < times; i++)
        {
            using var failed = await host.Anonymous.LoginAsync(email, $"wrong password {i}");
            failed.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        await host.LoginFailedJobsDoneAsync();
    }

    private async Task<(int Failures, bool Locked)> UserStateAsync(string email)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(host.DatabaseName));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT cardinality(recent_failed_logins), locked_until > now() FROM users WHERE email = @email", connection);
        command.Parameters.AddWithValue("email", email);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        (await reader.ReadAsync(TestContext.Current.CancellationToken)).ShouldBeTrue();
        return (reader.GetInt32(0), !reader.IsDBNull(1) && reader.GetBoolean(1));
    }
}
