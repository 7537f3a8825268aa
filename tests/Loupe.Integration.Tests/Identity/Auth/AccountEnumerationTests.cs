using System.Net;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.Identity.Auth;

/// <summary>
/// Forgot-password must not tell who has an account, by its answer or by the work done before it.
/// This host runs no job engine, so what a request did on its own path stays visible afterwards.
/// </summary>
public sealed class AccountEnumerationTests(AuthHost host) : ResetBeforeEachTest(host), IClassFixture<AuthHost>
{
    [Fact]
    public async Task Forgot_ForAKnownAndAnUnknownEmail_DoesTheSameWorkOnTheRequestPath_OneQueuedJobEach()
    {
        var known = AuthApi.NewEmail("known");
        var unknown = AuthApi.NewEmail("unknown");
        await host.Anonymous.RegisteredAsync(known);

        foreach (var email in new[] { known, unknown })
        {
            using var response = await host.Anonymous.PostJsonAsync("/api/v1/auth/password/forgot", new { email });
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();
        }

        // Each request queued exactly one job and did nothing else: no token, no audit event, no mail yet.
        (await JobRows.CountAsync(host.DatabaseName, $"WHERE kind = 'auth.password_reset_mail' AND payload LIKE '%{known}%' AND state = 'queued'")).ShouldBe(1);
        (await JobRows.CountAsync(host.DatabaseName, $"WHERE kind = 'auth.password_reset_mail' AND payload LIKE '%{unknown}%' AND state = 'queued'")).ShouldBe(1);
        (await OwnerCountAsync("SELECT count(*) FROM password_resets r JOIN users u ON u.id = r.user_id WHERE u.email = @email", known)).ShouldBe(0);
        (await OwnerCountAsync("SELECT count(*) FROM audit_events a JOIN users u ON u.id = a.target_id WHERE u.email = @email AND a.action = 'auth.password_reset_requested'", known)).ShouldBe(0);
        host.Factory.Mail.Sent.ShouldNotContain(m => string.Equals(m.To, known, StringComparison.OrdinalIgnoreCase));
    }

    private async Task<long> OwnerCountAsync(string sql, string email)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(host.DatabaseName));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("email", email);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
