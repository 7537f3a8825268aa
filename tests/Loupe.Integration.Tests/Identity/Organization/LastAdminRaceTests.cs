using System.Net;
using System.Net.Http.Json;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Organization;

/// <summary>
/// Two admins acting on each other at the same moment must not leave the organization without one.
/// One wins (204); the other loses with 409 (the race was caught at save), or with 403/401 when the
/// winner's change had already taken its role or its account by the time its request was checked.
/// </summary>
public sealed class LastAdminRaceTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private const int Rounds = 12;

    [Fact]
    public async Task TwoAdminsDemotingEachOtherAtOnce_LeaveOneAdmin_AndTheOtherGets409()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var (first, second) = await TwoAdminsAsync();

            var answers = await Task.WhenAll(
                first.Client.PutAsJsonAsync($"/api/v1/organization/users/{second.UserId}/role", new { role = "viewer" }, TestContext.Current.CancellationToken),
                second.Client.PutAsJsonAsync($"/api/v1/organization/users/{first.UserId}/role", new { role = "viewer" }, TestContext.Current.CancellationToken));

            await AssertOneWonAsync(first, second, answers, HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task TwoAdminsRemovingEachOtherAtOnce_LeaveOneAdmin_AndTheOtherGets409()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var (first, second) = await TwoAdminsAsync();

            var answers = await Task.WhenAll(
                first.Client.DeleteAsync($"/api/v1/organization/users/{second.UserId}", TestContext.Current.CancellationToken),
                second.Client.DeleteAsync($"/api/v1/organization/users/{first.UserId}", TestContext.Current.CancellationToken));

            await AssertOneWonAsync(first, second, answers, HttpStatusCode.NoContent);
        }
    }

    private async Task<(Member First, Member Second)> TwoAdminsAsync()
    {
        var first = await api.Identity.RegisterAsync();
        var second = await api.Identity.AddMemberAsync(first, "admin");
        return (first, second);
    }

    private static async Task AssertOneWonAsync(Member first, Member second, HttpResponseMessage[] answers, HttpStatusCode success)
    {
        var statuses = answers.Select(a => a.StatusCode).OrderBy(s => s).ToList();
        foreach (var answer in answers)
        {
            answer.Dispose();
        }

        statuses.Count(s => s == success).ShouldBe(1, string.Join(", ", statuses));
        statuses.ShouldContain(s => s == HttpStatusCode.Conflict || s == HttpStatusCode.Forbidden || s == HttpStatusCode.Unauthorized, string.Join(", ", statuses));

        // Whoever is still an admin can still read the usage, and it counts exactly one admin.
        var admins = await AdminCountAsync(first) ?? await AdminCountAsync(second);
        admins.ShouldBe(1);
    }

    private static async Task<int?> AdminCountAsync(Member member)
    {
        using var response = await member.Client.GetAsync("/api/v1/organization/usage", TestContext.Current.CancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        var usage = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken);
        return usage.GetProperty("admins").GetInt32();
    }
}
