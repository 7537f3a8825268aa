using System.Net;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Auth;

/// <summary>Requests that race each other must not both win.</summary>
public sealed class ConcurrencyTests(AuthHost host) : ResetBeforeEachTest(host), IClassFixture<AuthHost>
{
    private const int Racers = 6;

    [Fact]
    public async Task Register_TheSameEmailConcurrently_CreatesOneAccount_AndTheOthersGet409()
    {
        var email = AuthApi.NewEmail("racer");

        var responses = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => host.Anonymous.RegisterAsync(email)));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        foreach (var response in responses)
        {
            response.Dispose();
        }

        statuses.Count(s => s == HttpStatusCode.Created).ShouldBe(1, string.Join(", ", statuses));
        statuses.Count(s => s == HttpStatusCode.Conflict).ShouldBe(Racers - 1, string.Join(", ", statuses));
    }
}
