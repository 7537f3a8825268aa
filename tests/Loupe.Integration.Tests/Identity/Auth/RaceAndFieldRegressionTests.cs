using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Auth;

/// <summary>Races and a field name the first round of these tests found; each once failed.</summary>
public sealed class RaceAndFieldRegressionTests(AuthHost host) : ResetBeforeEachTest(host), IClassFixture<AuthHost>
{
    [Fact]
    public async Task Refresh_TheSameTokenConcurrently_RotatesOnce_AndEveryPresenterGetsTheSameSuccessor()
    {
        var outcomes = new List<string>();
        for (var round = 0; round < 10; round++)
        {
            var registered = await host.Anonymous.RegisteredAsync(AuthApi.NewEmail());
            var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => host.Anonymous.RefreshAsync(registered.RefreshToken)));
            var successors = new HashSet<string>(StringComparer.Ordinal);
            foreach (var response in responses)
            {
                if (response.StatusCode == System.Net.HttpStatusCode.OK)
                {
                    successors.Add((await response.ShouldBeTokensAsync()).RefreshToken);
                }
            }

            outcomes.Add(string.Join(",", responses.Select(r => (int)r.StatusCode)) + " successors=" + successors.Count);
            foreach (var response in responses)
            {
                response.Dispose();
            }

            // The one successor is the session's current token: it rotates normally.
            using var next = await host.Anonymous.RefreshAsync(successors.Single());
            next.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        }

        outcomes.ShouldAllBe(o => o == "200,200,200,200,200,200 successors=1", string.Join(" | ", outcomes));
    }

    [Fact]
    public async Task ChangePassword_WithTheEmailAsNewPassword_Is400NamingNewPassword()
    {
        var member = await host.Identity.RegisterAsync();

        using var response = await member.Client.PostJsonAsync(
            "/api/v1/me/password", new { current_password = member.Password, new_password = member.Email });

        await response.ShouldBeValidationProblemAsync("new_password");
    }
}

/// <summary>A class of its own: it needs a database nobody has registered in yet.</summary>
public sealed class FirstUserRaceTests(AuthHost host) : ResetBeforeEachTest(host), IClassFixture<AuthHost>
{
    [Fact]
    public async Task Register_ConcurrentlyOnAFreshDatabase_MakesExactlyOneInstanceAdmin()
    {
        var pairs = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => host.Anonymous.RegisteredAsync(AuthApi.NewEmail($"early{i}"))));

        var admins = 0;
        foreach (var pair in pairs)
        {
            using var client = host.Identity.ClientWith(pair.AccessToken);
            var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me", TestContext.Current.CancellationToken);
            admins += me.GetProperty("is_instance_admin").GetBoolean() ? 1 : 0;
        }

        admins.ShouldBe(1);
    }
}
