using System.Net;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Auth;

/// <summary>On a host of its own, so every captured line comes from the flow below.</summary>
public sealed class SecretsInLogsTests(JobsAuthHost host) : ResetBeforeEachTest(host), IClassFixture<JobsAuthHost>
{
    [Fact]
    public async Task AFullIdentityFlow_WritesNoPasswordTokenOrSecretToTheLog()
    {
        const string firstPassword = "first secret passphrase 7Q";
        const string wrongPassword = "wrong secret passphrase 3K";
        const string resetPassword = "reset secret passphrase 9Z";
        var email = AuthApi.NewEmail("careful");
        var anonymous = host.Anonymous;
        var secrets = new List<string> { firstPassword, wrongPassword, resetPassword };

        var registered = await anonymous.RegisteredAsync(email, firstPassword);
        using (var failed = await anonymous.LoginAsync(email, wrongPassword))
        {
            failed.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var loggedIn = await anonymous.LoggedInAsync(email, firstPassword);
        using var refreshed = await anonymous.RefreshAsync(loggedIn.RefreshToken);
        var rotated = await refreshed.ShouldBeTokensAsync();
        using var refreshedAgain = await anonymous.RefreshAsync(rotated.RefreshToken);
        var rotatedAgain = await refreshedAgain.ShouldBeTokensAsync();

        // Two rotations back: reuse, whatever the grace for the token rotated last.
        using (var reused = await anonymous.RefreshAsync(loggedIn.RefreshToken))
        {
            reused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        string apiKey;
        using (var client = host.Identity.ClientWith(registered.AccessToken))
        using (var created = await client.PostJsonAsync("/api/v1/api-keys", new { name = "nightly export", role = "viewer" }))
        {
            created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            apiKey = (await created.ReadJsonAsync()).GetProperty("secret").GetString()!;
        }

        using (var keyed = host.Factory.CreateClient())
        {
            keyed.DefaultRequestHeaders.Add("X-API-Key", apiKey);
            using var me = await keyed.GetAsync("/api/v1/organization", TestContext.Current.CancellationToken);
            me.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using (var forgot = await anonymous.PostJsonAsync("/api/v1/auth/password/forgot", new { email }))
        {
            forgot.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        var resetToken = await host.ResetTokenMailedAsync(email);
        using (var reset = await anonymous.PostJsonAsync("/api/v1/auth/password/reset", new { token = resetToken, password = resetPassword }))
        {
            reset.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        var afterReset = await anonymous.LoggedInAsync(email, resetPassword);
        secrets.AddRange([
            registered.AccessToken, registered.RefreshToken, loggedIn.AccessToken, loggedIn.RefreshToken,
            rotated.AccessToken, rotated.RefreshToken, rotatedAgain.AccessToken, rotatedAgain.RefreshToken, afterReset.AccessToken, afterReset.RefreshToken, resetToken, apiKey]);

        var lines = host.Factory.Logs.Lines;
        lines.ShouldContain(l => l.Message.Contains("auth.login_failed", StringComparison.Ordinal));
        lines.ShouldContain(l => l.Message.Contains("auth.refresh_token_reused", StringComparison.Ordinal));
        var leaks = (
            from line in lines
            from text in TextsOf(line)
            from secret in secrets
            where text.Contains(secret, StringComparison.Ordinal) || text.Contains(Uri.EscapeDataString(secret), StringComparison.Ordinal)
            select $"[{line.Category}] {text}").Distinct().ToList();
        leaks.ShouldBeEmpty();
    }

    private static IEnumerable<string> TextsOf(CapturedLine line)
    {
        yield return line.Message;
        foreach (var (key, value) in line.Scope)
        {
            yield return $"{key}={value}";
        }

        if (line.Exception is not null)
        {
            yield return line.Exception.ToString();
        }
    }
}
