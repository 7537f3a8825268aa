using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Loupe.Integration.Tests.Identity.Auth;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Runs;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Fuzz;

/// <summary>
/// Every operation of the checked-in OpenAPI document, fed generated and mutated requests as a
/// signed-in admin of a seeded organization (its ids in paths and bodies, so deep handlers run) and
/// anonymously: no answer is a 5xx (but the coded 502 of an unreachable data source and 503 of an
/// unreachable Loupe database), and every 4xx is application/problem+json with a title or a code.
/// <c>LOUPE_FUZZ_CASES</c> sets the cases per operation (default <see cref="DefaultCasesPerOperation"/>).
/// A failure prints the request and the exception the server logged for it.
/// </summary>
public sealed class ApiFuzzTests(RunsApi api) : ResetBeforeEachTest(api), IClassFixture<RunsApi>
{
    public const int DefaultCasesPerOperation = 60;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryOperation_WithAnyInput_NeverAnswers5xx_AndEveryErrorIsAProblem()
    {
        var cases = int.TryParse(Environment.GetEnvironmentVariable("LOUPE_FUZZ_CASES"), CultureInfo.InvariantCulture, out var configured) && configured > 0
            ? configured
            : DefaultCasesPerOperation;
        var operations = FuzzOperations.Load();
        operations.All.Count.ShouldBeGreaterThan(40, "the OpenAPI document lists every operation");
        var seeded = await SeedAsync();
        var requests = new FuzzRequests(operations, seeded.PathIds, seeded.BodyIds);
        using var client = api.Factory.CreateClient();
        client.Timeout = TimeSpan.FromMinutes(2);
        var failures = new List<string>();
        var sent = 0;
        var clock = Stopwatch.StartNew();

        foreach (var operation in operations.All)
        {
            var arbitrary = Gen.Choose(0, int.MaxValue)
                .SelectMany(seed => Gen.Elements(true, true, false).Select(asAdmin => requests.Create(operation, seed, asAdmin)))
                .ToArbitrary();
            var before = failures.Count;
            try
            {
                Prop.ForAll(arbitrary, request =>
                {
                    sent++;
                    var failure = SendAsync(client, seeded, request).GetAwaiter().GetResult();
                    if (failure is not null)
                    {
                        failures.Add($"{operation}: {failure}");
                    }

                    return failure is null;
                }).Check(Config.QuickThrowOnFailure.WithMaxTest(cases));
            }
            catch (Exception exception) when (failures.Count == before)
            {
                failures.Add($"{operation}: {exception.Message}");
            }
            catch (Exception)
            {
                // The failure is recorded with its request; FsCheck's message adds only the seed.
            }
        }

        TestContext.Current.SendDiagnosticMessage(
            $"API fuzz: {sent} requests over {operations.All.Count} operations in {clock.Elapsed.TotalSeconds:F1} s");
        failures.ShouldBeEmpty($"{failures.Count} failing request(s):\n\n" + string.Join("\n\n", failures));
    }

    /// <summary>Sends one request; null when the answer keeps the rules, else what went wrong with the request and the server's logged exception.</summary>
    private async Task<string?> SendAsync(HttpClient client, Seeded seeded, FuzzRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(client.BaseAddress!, request.PathAndQuery));
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (request.Body is not null)
        {
            message.Content = new StringContent(request.Body, Encoding.UTF8);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(request.ContentType);
        }

        if (request.AsAdmin)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", seeded.AccessToken);
        }

        using var response = await client.SendAsync(message, Ct);
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(Ct);
        if (request.AsAdmin && response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // A fuzzed logout or session revocation signed the admin out: sign in again for the next cases.
            await seeded.SignInAgainAsync(client);
        }

        // 502 is how the API tells that a data source refused or could not be reached (the fuzz may
        // point the seeded one at a closed port), 503 that Loupe's own database is away: both are
        // answers with a code, not failures of Loupe. Any other 5xx is.
        var wrong = status is 502 or 503 ? CodedFault(response, text)
            : status >= 500 ? "a server error"
            : status >= 400 ? ProblemFault(response, text)
            : null;
        if (wrong is null)
        {
            return null;
        }

        var requestId = response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.FirstOrDefault() : null;
        var logged = api.Factory.Logs.Lines
            .Where(line => line.Exception is not null && requestId is not null
                && line.Scope.TryGetValue("RequestId", out var id) && Equals(id, requestId))
            .Select(line => line.Exception!.ToString());
        return $"{wrong}, status {status}\nrequest: {request}\nresponse: {(text.Length > 1500 ? text[..1500] : text)}\n"
            + $"logged: {string.Join("\n", logged.DefaultIfEmpty("(no exception logged)"))}";
    }

    private static string? CodedFault(HttpResponseMessage response, string text) =>
        ProblemFault(response, text) ?? (JsonDocument.Parse(text).RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
            ? null
            : "a 502 or 503 without a code");

    private static string? ProblemFault(HttpResponseMessage response, string text)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"an error that is not application/problem+json ({response.Content.Headers.ContentType})";
        }

        try
        {
            var body = JsonDocument.Parse(text).RootElement;
            return body.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                || body.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String
                ? null
                : "a problem without code or title";
        }
        catch (JsonException)
        {
            return "a problem that is not JSON";
        }
    }

    /// <summary>An organization with one of everything, so that paths and bodies can name things that exist.</summary>
    private async Task<Seeded> SeedAsync()
    {
        var admin = await api.Identity.RegisterAsync();
        var viewer = await api.Identity.AddMemberAsync(admin, "viewer");
        var source = await api.CreateSourceAsync(admin);
        var query = (await IdentityApi.CreateSavedQueryAsync(admin, source)).GetProperty("id").GetGuid();
        var visualization = (await IdentityApi.CreateVisualizationAsync(admin, query)).GetProperty("id").GetGuid();
        var apiKey = (await IdentityApi.CreateApiKeyAsync(admin, "viewer")).GetProperty("id").GetGuid();
        var invitation = (await IdentityApi.InviteAsync(admin, IdentityApi.NewEmail("fuzz"))).GetProperty("id").GetGuid();
        using var anonymous = api.Identity.Anonymous();
        using var login = await anonymous.LoginAsync(admin.Email, admin.Password);
        var spareSession = AuthApi.SessionIdOf((await login.ShouldBeTokensAsync()).AccessToken);
        using var created = await admin.Client.PostAsJsonAsync("/api/v1/runs", new { datasource_id = source, sql = "select 1 as one" }, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Accepted, await created.Content.ReadAsStringAsync(Ct));
        var run = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        await Eventually.HoldsAsync(
            async () => (await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{run}")).GetProperty("status").GetString() == "succeeded",
            TimeSpan.FromSeconds(30),
            "the seeded run succeeds");

        using var canvasCreated = await admin.Client.PostAsJsonAsync(
            "/api/v1/canvases",
            new { name = "fuzz", nodes = new[] { new { id = "q", type = "query", ref_id = query, position = new { x = 0, y = 0 }, size = new { w = 10, h = 10 } } } },
            Ct);
        canvasCreated.StatusCode.ShouldBe(HttpStatusCode.Created, await canvasCreated.Content.ReadAsStringAsync(Ct));
        var canvas = (await canvasCreated.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

        var pathIds = new Dictionary<string, Guid>(StringComparer.Ordinal)
        {
            ["/api/v1/api-keys/"] = apiKey,
            ["/api/v1/auth/sessions/"] = spareSession,
            ["/api/v1/datasources/"] = source,
            ["/api/v1/organization/users/"] = viewer.UserId,
            ["/api/v1/organization/invitations/"] = invitation,
            ["/api/v1/queries/"] = query,
            ["/api/v1/runs/"] = run,
            ["/api/v1/visualizations/"] = visualization,
            ["/api/v1/canvases/"] = canvas,
        };
        var bodyIds = new Dictionary<string, Guid>(StringComparer.Ordinal) { ["datasource_id"] = source, ["query_id"] = query, ["ref_id"] = query };
        return new Seeded(admin, pathIds, bodyIds);
    }

    private sealed class Seeded(Member admin, IReadOnlyDictionary<string, Guid> pathIds, IReadOnlyDictionary<string, Guid> bodyIds)
    {
        public IReadOnlyDictionary<string, Guid> PathIds { get; } = pathIds;

        public IReadOnlyDictionary<string, Guid> BodyIds { get; } = bodyIds;

        public string AccessToken { get; private set; } = admin.AccessToken;

        public async Task SignInAgainAsync(HttpClient client)
        {
            using var login = await client.LoginAsync(admin.Email, admin.Password);
            if (login.IsSuccessStatusCode)
            {
                AccessToken = (await login.ShouldBeTokensAsync()).AccessToken;
            }
        }
    }
}
