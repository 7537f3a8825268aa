using System.Net;
using System.Text.RegularExpressions;
using Loupe.Api.JobsDashboard;
using Loupe.Integration.Tests.Identity.Auth;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Loupe.Integration.Tests.JobsDashboard;

/// <summary>
/// The one check in front of the dashboard, read from the route table so that a new page or form is held to
/// it without anyone listing it here: every endpoint under <c>/jobs</c> is behind the group's filter; only the
/// sign-in form and the assets are open to anyone, and they say so; to everyone else each of the others is an
/// address that does not exist (a form posted without its token too, so the 404 comes before the token is
/// looked at); and an admin's form without its token changes nothing and answers the one "form has expired" page.
/// </summary>
public sealed partial class JobsDashboardGateTests(AuthHost host) : ResetBeforeEachTest(host), IClassFixture<AuthHost>
{
    private const string FormExpired = "The form has expired or did not come from this page. Nothing was changed: reload the page and try again.";

    /// <summary>The only endpoints anyone may call: every Loupe has them at the same place, so they tell nothing.</summary>
    private static readonly string[] OpenToAnyone = ["GET /jobs/assets/{name}", "GET /jobs/sign-in", "POST /jobs/sign-in"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void EveryEndpointUnderJobs_IsBehindTheGroupsCheck_AndOnlyTheSignInFormAndTheAssetsAreOpenToAnyone()
    {
        var endpoints = DashboardEndpoints();

        endpoints.Count.ShouldBeGreaterThan(OpenToAnyone.Length);
        endpoints.Where(e => !JobsDashboardGate.IsGated(e.Endpoint.Metadata)).Select(e => e.Key)
            .ShouldBeEmpty("map these endpoints on the /jobs group, behind its filter");
        endpoints.Where(e => JobsDashboardGate.IsOpenToAnyCaller(e.Endpoint.Metadata)).Select(e => e.Key).Order(StringComparer.Ordinal)
            .ShouldBe(OpenToAnyone.Order(StringComparer.Ordinal), "only these endpoints carry .AllowsAnyCaller()");
    }

    [Fact]
    public async Task EveryOtherEndpoint_IsNotFound_ForAnonymousAndAMember_EvenAFormPostedWithoutItsToken_AndAnAdminsFormWithoutItsTokenChangesNothing()
    {
        var admin = await host.Identity.RegisterAsync();
        var member = await host.Identity.RegisterAsync();
        var failed = await JobRows.InsertAsync(host.DatabaseName, "test.kind", "failed", member.OrganizationId, finishedAt: "now()");
        using var unknown = await host.Anonymous.GetAsync(new Uri("/jobs/no-such-page", UriKind.Relative), Ct);
        var notFound = Comparable(await unknown.Content.ReadAsStringAsync(Ct));
        var audited = await ScalarAsync("SELECT count(*) FROM audit_events");
        var gated = DashboardEndpoints().Where(e => !JobsDashboardGate.IsOpenToAnyCaller(e.Endpoint.Metadata)).ToList();

        using var anonymous = Client(accessToken: null);
        using var memberClient = Client(member.AccessToken);
        foreach (var client in new[] { anonymous, memberClient })
        {
            // A token that is good for this very client (its cookie half kept), so the token is not why it is refused.
            var ownToken = await TokenAsync(client, "/jobs/sign-in");
            foreach (var (key, method, path) in gated.Select(e => (e.Key, e.Method, Path: PathOf(e.Endpoint, failed))))
            {
                foreach (var token in HttpMethods.IsGet(method) ? new string?[] { null } : [null, ownToken])
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = HttpMethods.IsGet(method) ? null : Form(token) };
                    using var response = await client.SendAsync(request, Ct);
                    response.StatusCode.ShouldBe(HttpStatusCode.NotFound, $"{key} as {(client == anonymous ? "anonymous" : "a member")}, token {(token is null ? "none" : "its own")}");
                    Comparable(await response.Content.ReadAsStringAsync(Ct)).ShouldBe(notFound, key);
                }
            }
        }

        using var adminClient = Client(admin.AccessToken);
        await TokenAsync(adminClient, "/jobs");
        foreach (var (key, method, path) in gated.Where(e => !HttpMethods.IsGet(e.Method)).Select(e => (e.Key, e.Method, Path: PathOf(e.Endpoint, failed))))
        {
            foreach (var token in new[] { null, "CfDJ8forged" })
            {
                using var response = await adminClient.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Form(token) }, Ct);
                var page = await response.Content.ReadAsStringAsync(Ct);
                response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, $"{key}, token {token ?? "none"}: {page}");
                response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
                page.ShouldContain(FormExpired);

                // The signed-in page it is, with the header's sign-out form and a fresh token to go on with.
                DashboardHttp.TokenRegex().IsMatch(page).ShouldBeTrue(key);
                page.ShouldContain("action=\"/jobs/sign-out\"");
            }
        }

        (await JobRows.GetAsync(host.DatabaseName, failed)).State.ShouldBe("failed");
        (await ScalarAsync("SELECT count(*) FROM job_queue_pauses")).ShouldBe(0);
        (await ScalarAsync("SELECT count(*) FROM recurring_job_pauses")).ShouldBe(0);
        (await ScalarAsync("SELECT count(*) FROM audit_events")).ShouldBe(audited);
        (await adminClient.GetAsync(new Uri("/jobs", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK, "signing out without the token ends nothing");
    }

    [Fact]
    public async Task TheSignInForm_PostedWithoutItsToken_IsRefusedWithTheSignInPagesMessage_EvenWithAnAdminsToken()
    {
        var admin = await host.Identity.RegisterAsync();

        foreach (var accessToken in new[] { null, admin.AccessToken })
        {
            using var client = Client(accessToken);
            using var response = await client.PostAsync(
                new Uri("/jobs/sign-in", UriKind.Relative),
                new FormUrlEncodedContent([new("email", admin.Email), new("password", admin.Password)]),
                Ct);

            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("The form has expired or did not come from this page. Sign in again.");
            response.Headers.TryGetValues("Set-Cookie", out var cookies);
            (cookies ?? []).ShouldNotContain(cookie => cookie.StartsWith("loupe_jobs_session=", StringComparison.Ordinal));
        }
    }

    /// <summary>The routes under <c>/jobs</c>, one per method, as "METHOD /pattern".</summary>
    private List<(string Key, string Method, RouteEndpoint Endpoint)> DashboardEndpoints() =>
        [.. host.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (Pattern: Pattern(e), Endpoint: e))
            .Where(e => e.Pattern == "/jobs" || e.Pattern.StartsWith("/jobs/", StringComparison.Ordinal))
            .SelectMany(e => (e.Endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => ($"{m} {e.Pattern}", m, e.Endpoint)))];

    private static string Pattern(RouteEndpoint endpoint) => "/" + endpoint.RoutePattern.RawText!.Trim('/');

    /// <summary>An address of the route: each parameter given a value that would make the endpoint act if it were let through.</summary>
    private static string PathOf(RouteEndpoint endpoint, Guid job) =>
        ParameterRegex().Replace(Pattern(endpoint), match => match.Groups[1].Value switch
        {
            "id" => job.ToString(),
            "queue" => "default",
            "kind" => "jobs.retention",
            "action" => "pause",
            var name => throw new InvalidOperationException($"Give the route parameter {{{name}}} of {endpoint.RoutePattern.RawText} a value in {nameof(PathOf)}."),
        });

    private HttpClient Client(string? accessToken) => DashboardHttp.Client(host.Anonymous.BaseAddress!, accessToken);

    private static Task<string> TokenAsync(HttpClient client, string path) => DashboardHttp.TokenAsync(client, path);

    private static FormUrlEncodedContent Form(string? token) =>
        new(token is null ? [] : [new KeyValuePair<string, string>("__antiforgery", token)]);

    /// <summary>A 404 problem without what differs from one request to the next (instance, ids).</summary>
    private static string Comparable(string problem) =>
        string.Join("|", System.Text.Json.JsonDocument.Parse(problem).RootElement.EnumerateObject()
            .Where(p => p.Name is not ("instance" or "error_id" or "trace_id")).Select(p => $"{p.Name}={p.Value}"));

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(host.DatabaseName));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }


    [GeneratedRegex(@"\{(\w+)[^}]*\}")]
    private static partial Regex ParameterRegex();
}
