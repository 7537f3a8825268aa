using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Auth;

/// <summary>On a database of its own: who registers first.</summary>
public sealed class FirstUserTests(AuthHost host) : ResetBeforeEachTest(host), IClassFixture<AuthHost>
{
    [Fact]
    public async Task Register_TheFirstUserOfAFreshDatabase_IsInstanceAdmin_AndTheNextIsNot()
    {
        var first = await host.Anonymous.RegisteredAsync(AuthApi.NewEmail("first"));
        var second = await host.Anonymous.RegisteredAsync(AuthApi.NewEmail("second"));

        (await IsInstanceAdminAsync(first.AccessToken)).ShouldBeTrue();
        (await IsInstanceAdminAsync(second.AccessToken)).ShouldBeFalse();
    }

    private async Task<bool> IsInstanceAdminAsync(string accessToken)
    {
        using var client = host.Identity.ClientWith(accessToken);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me", TestContext.Current.CancellationToken);
        return me.GetProperty("is_instance_admin").GetBoolean();
    }
}
