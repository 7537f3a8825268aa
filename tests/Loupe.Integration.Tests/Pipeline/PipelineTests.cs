using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Loupe.Integration.Tests.Pipeline;

public sealed class PipelineTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private LoupeApiFactory _factory = null!;
    private HttpClient _client = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _factory = LoupeApiFactory.For(database, withProbes: true);
        _client = _factory.CreateClient();
    }

    public override async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task ClientRequestId_IsEchoedAsTheClients_WhileLoupesOwnIdIsTheRequestAndErrorId()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no/such/route");
        request.Headers.Add("X-Request-Id", "client-chosen-id_42");

        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var errorId = problem.GetProperty("error_id").GetString()!;
        errorId.ShouldMatch("^[0-9a-f]{32}$");
        response.Headers.GetValues("X-Request-Id").Single().ShouldBe(errorId);
        response.Headers.GetValues("X-Client-Request-Id").Single().ShouldBe("client-chosen-id_42");
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("new\tline")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task RequestId_WhenMissingOrNotASaneToken_IsGenerated_AndNoClientIdIsEchoed(string offered)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.TryAddWithoutValidation("X-Request-Id", offered);

        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        var id = response.Headers.GetValues("X-Request-Id").Single();
        id.ShouldNotBe(offered);
        id.ShouldMatch("^[0-9a-f]{32}$");
        response.Headers.Contains("X-Client-Request-Id").ShouldBeFalse();
    }

    [Fact]
    public async Task Responses_CarrySecurityHeaders_AndNoServerHeader()
    {
        using var response = await _client.GetAsync("/health/live", TestContext.Current.CancellationToken);

        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
        response.Headers.GetValues("Referrer-Policy").Single().ShouldBe("no-referrer");
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
        response.Headers.GetValues("Permissions-Policy").Single().ShouldContain("camera=()");
        response.Headers.GetValues("Permissions-Policy").Single().ShouldContain("geolocation=()");
        response.Headers.Contains("Server").ShouldBeFalse();
    }

    [Fact]
    public async Task ProblemResponses_CarryTheSameSecurityHeaders()
    {
        using var response = await _client.GetAsync("/api/v1/nothing-here", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldStartWith("default-src 'none'");
        response.Headers.GetValues("Permissions-Policy").ShouldHaveSingleItem();
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
    }

    [Fact]
    public async Task UnknownRoute_IsNotFoundProblem()
    {
        using var response = await _client.GetAsync("/api/v1/nothing-here", TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.GetProperty("instance").GetString().ShouldBe("/api/v1/nothing-here");
    }

    [Fact]
    public async Task WrongMethod_IsMethodNotAllowedProblem()
    {
        using var response = await _client.GetAsync("/api/v1/_probe/echo", TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task WrongContentType_IsUnsupportedMediaTypeProblem()
    {
        using var body = new StringContent("name=x", Encoding.UTF8, "text/plain");
        using var response = await _client.PostAsync("/api/v1/_probe/echo", body, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task BodyOverOneMebibyte_IsPayloadTooLargeProblem()
    {
        var json = "{\"name\":\"" + new string('x', 1024 * 1024 + 10) + "\",\"count\":1,\"kind\":\"plain_text\"}";
        using var body = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync("/api/v1/_probe/echo", body, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task MalformedJson_IsValidationProblem()
    {
        using var body = new StringContent("{\"name\": \"x\", ", Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync("/api/v1/_probe/echo", body, TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().ShouldNotBeEmpty();
    }

    [Fact]
    public async Task WrongTypeInJson_IsValidationProblemNamingTheField()
    {
        using var response = await PostJsonAsync("{\"name\":\"x\",\"count\":\"many\",\"kind\":\"plain_text\"}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("count", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task UnknownJsonField_IsRefused()
    {
        using var response = await PostJsonAsync("{\"name\":\"x\",\"count\":1,\"kind\":\"plain_text\",\"is_admin\":true}");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UnknownJsonField_IsNamedWithAPlainMessage()
    {
        using var response = await PostJsonAsync("{\"name\":\"x\",\"count\":1,\"kind\":\"plain_text\",\"is_admin\":true}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("code").GetString().ShouldBe("validation_failed");
        problem.GetProperty("errors").GetProperty("is_admin")[0].GetString().ShouldBe("is_admin: not a field of this request; leave it out.");
    }

    [Fact]
    public async Task WrongTypeInJson_SaysTheValueHasTheWrongType()
    {
        using var response = await PostJsonAsync("{\"name\":\"x\",\"count\":\"many\",\"kind\":\"plain_text\"}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("count")[0].GetString().ShouldBe("count: a value of the wrong type for this field.");
    }

    [Theory]
    [InlineData("", "The request needs a JSON body.")]
    [InlineData("{\"name\":\"x\",\"count\":", "The JSON body ends too soon: it was cut off before its last value or closing bracket.")]
    [InlineData("{\"name\":\"x\"", "The JSON body ends too soon: it was cut off before its last value or closing bracket.")]
    [InlineData("[{\"name\":\"x\"}]", "The request body must be a JSON object ({...}), not an array or a single value.")]
    [InlineData("{\"name\" \"x\"}", "The request body is not valid JSON.")]
    public async Task ABodyThatIsMissingCutOffOrNotAnObject_IsInvalidBody_SayingExactlyThat(string json, string message)
    {
        using var response = await PostJsonAsync(json);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("code").GetString().ShouldBe("invalid_body");
        problem.GetProperty("errors").GetProperty("body")[0].GetString().ShouldBe(message);
    }

    [Fact]
    public async Task TheNilUuid_IsRefusedSayingItIsTheNilUuid()
    {
        using var response = await PostJsonAsync("{\"name\":\"x\",\"count\":1,\"kind\":\"plain_text\",\"owner_id\":\"00000000-0000-0000-0000-000000000000\"}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("owner_id")[0].GetString()
            .ShouldBe("owner_id: the nil UUID (all zeros) is not an id; give the id of an existing resource.");
    }

    [Fact]
    public async Task ARuleWithoutItsOwnMessage_NamesTheWireFieldAndSpeaksPlainly()
    {
        using var response = await PostJsonAsync("{\"name\":\"abcdefghijklmnopqrstuvwxy\",\"count\":1,\"kind\":\"plain_text\"}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("code").GetString().ShouldBe("validation_failed");
        problem.GetProperty("errors").GetProperty("name")[0].GetString().ShouldBe("name: at most 20 characters (this has 25).");
    }

    [Fact]
    public async Task AQueryParameterTheEndpointDoesNotRead_IsA400NamingIt()
    {
        using var response = await _client.GetAsync(
            $"/api/v1/_probe/organizations/{Guid.CreateVersion7()}/members?role=admin&q=a", TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("code").GetString().ShouldBe("unknown_query_parameter");
        var errors = problem.GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe(["role"]);
        errors.GetProperty("role")[0].GetString()
            .ShouldBe("role: not a parameter of this endpoint; it accepts created_after, created_before, page, per_page, q, sort.");
    }

    [Fact]
    public async Task TheQueryParametersOfAHandlersSignature_AreAccepted_AndNoOthers()
    {
        using var accepted = await _client.GetAsync("/api/v1/_probe/limited?limit=3", TestContext.Current.CancellationToken);
        using var refused = await _client.GetAsync("/api/v1/_probe/limited?limit=3&tag=x", TestContext.Current.CancellationToken);
        using var notANumber = await _client.GetAsync("/api/v1/_probe/limited?limit=many", TestContext.Current.CancellationToken);

        accepted.StatusCode.ShouldBe(HttpStatusCode.OK);
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("tag")[0].GetString().ShouldBe("tag: not a parameter of this endpoint; it accepts limit.");
        var badValue = await notANumber.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        badValue.GetProperty("errors").GetProperty("limit")[0].GetString().ShouldBe("limit: expected a whole number.");
    }

    [Theory]
    [InlineData("/api/v1/nothing-here", HttpStatusCode.NotFound, "not_found")]
    [InlineData("/api/v1/_probe/boom", HttpStatusCode.InternalServerError, "internal_error")]
    [InlineData("/api/v1/_probe/guarded", HttpStatusCode.Unauthorized, "unauthorized")]
    [InlineData("/api/v1/_probe/conflict", HttpStatusCode.Conflict, "duplicate")]
    public async Task EveryProblem_CarriesItsCode(string path, HttpStatusCode status, string code)
    {
        using var response = await _client.GetAsync(path, TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(status);
        problem.GetProperty("code").GetString().ShouldBe(code);
    }

    [Fact]
    public async Task AMethodTheAddressDoesNotTake_CarriesItsCode()
    {
        using var response = await _client.DeleteAsync("/api/v1/_probe/echo", TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed);
        problem.GetProperty("code").GetString().ShouldBe("method_not_allowed");
    }

    [Fact]
    public async Task Validation_ReportsEveryValidatorsFailuresAtOnce()
    {
        using var response = await PostJsonAsync("{\"name\":\"\",\"count\":0,\"kind\":\"plain_text\"}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        errors.GetProperty("name")[0].GetString().ShouldBe("A name is required.");
        errors.GetProperty("count")[0].GetString().ShouldBe("Count must be between 1 and 10.");
    }

    [Fact]
    public async Task Json_IsSnakeCaseInAndOut_WithEnumsAsSnakeCaseStringsAndUtcTimestamps()
    {
        using var response = await PostJsonAsync("{\"name\":\"Revenue\",\"count\":3,\"kind\":\"bar_chart\"}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        body.GetProperty("echoed_name").GetString().ShouldBe("Revenue");
        body.GetProperty("kind").GetString().ShouldBe("bar_chart");
        body.GetProperty("echoed_at").GetString()!.ShouldEndWith("Z");
        Guid.Parse(body.GetProperty("id").GetString()!).Version.ShouldBe(7);
    }

    [Fact]
    public async Task Timestamps_WithAnOffset_AreAnsweredInUtc()
    {
        using var response = await PostJsonAsync("{\"name\":\"x\",\"count\":1,\"kind\":\"plain_text\",\"when\":\"2026-11-25T10:00:00+02:00\"}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        body.GetProperty("when").GetString().ShouldBe("2026-11-25T08:00:00.000000Z");
    }

    [Theory]
    [InlineData("2026-11-25T10:00:00")]
    [InlineData("25/11/2026")]
    [InlineData("2026-11-25")]
    public async Task Timestamps_WithoutAnOffset_AreRefusedNamingTheField(string when)
    {
        using var response = await PostJsonAsync("{\"name\":\"x\",\"count\":1,\"kind\":\"plain_text\",\"when\":\"" + when + "\"}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("when", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task EnumAsNumber_IsRefused()
    {
        using var response = await PostJsonAsync("{\"name\":\"x\",\"count\":1,\"kind\":1}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("kind", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task UnhandledException_IsAGeneric500_AndLoggedWithItsErrorId()
    {
        using var response = await _client.GetAsync("/api/v1/_probe/boom", TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError);
        var text = problem.GetRawText();
        problem.GetProperty("title").GetString().ShouldBe("An unexpected error occurred");
        text.ShouldNotContain("hunter2");
        text.ShouldNotContain("/srv/secret");
        text.ShouldNotContain("InvalidOperationException");
        var errorId = problem.GetProperty("error_id").GetString()!;
        _factory.Logs.Lines.ShouldContain(line =>
            line.Level == LogLevel.Error && line.Message.Contains(errorId) && line.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task DomainConflict_IsConflictProblemWithTheDomainMessage()
    {
        using var response = await _client.GetAsync("/api/v1/_probe/conflict", TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.GetProperty("detail").GetString().ShouldBe("That name is taken.");
    }

    [Fact]
    public async Task RequestDeclaringAuthorization_WithoutACaller_IsUnauthorizedProblem()
    {
        using var response = await _client.GetAsync("/api/v1/_probe/guarded", TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetRawText().ShouldNotContain("secret");
    }

    [Fact]
    public async Task LogLinesOfARequest_CarryItsRequestIdAndW3CTraceId()
    {
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/_probe/log");
        request.Headers.Add("X-Request-Id", "trace-me-1");

        using var response = await _client.SendInTraceAsync(request, ActivityTraceId.CreateFromString(traceId));

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var line = _factory.Logs.Lines.Single(l => l.Message == "probe line");
        line.Scope["RequestId"].ShouldBe(response.Headers.GetValues("X-Request-Id").Single());
        line.Scope["ClientRequestId"].ShouldBe("trace-me-1");
        line.Scope["TraceId"].ShouldBe(traceId);
    }

    [Fact]
    public async Task EachRequest_WritesOneLogLineWithRouteStatusAndDuration_ButNoQueryValues()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/_probe/log?token=do-not-log-me");
        request.Headers.Add("X-Request-Id", "request-line-1");

        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        var line = await RequestLineOfAsync(l => (string?)l.Scope.GetValueOrDefault("ClientRequestId") == "request-line-1");
        line.Message.ShouldContain("GET /api/v1/_probe/log responded 204 in");
        line.Level.ShouldBe(LogLevel.Information);
        line.Scope["Route"].ShouldBe("/api/v1/_probe/log");
        line.Scope["StatusCode"].ShouldBe(204);
        line.Scope["Elapsed"].ShouldBeOfType<double>().ShouldBeGreaterThan(0);
        line.Scope["RequestId"].ShouldBe(response.Headers.GetValues("X-Request-Id").Single());
        line.Scope.ContainsKey("TraceId").ShouldBeTrue();
        line.Scope.ContainsKey("OrganizationId").ShouldBeFalse();
        line.Scope.ContainsKey("UserId").ShouldBeFalse();
        line.Scope.Values.Select(value => $"{value}").ShouldNotContain(text => text.Contains("do-not-log-me"));
        // ASP.NET Core's own request-start line (Information) has the query; the logging set-up keeps
        // Microsoft categories at Warning, so Loupe's own lines are the ones that must not carry it.
        _factory.Logs.Lines.ShouldNotContain(l => l.Category.StartsWith("Loupe.", StringComparison.Ordinal) && l.Message.Contains("do-not-log-me"));
    }

    [Fact]
    public async Task RequestLine_OfASignedInCaller_CarriesTheirOrganizationAndUser()
    {
        var member = await new IdentityDriver(_factory).RegisterAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/_probe/ping");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", member.AccessToken);
        request.Headers.Add("X-Request-Id", "request-line-2");

        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var line = await RequestLineOfAsync(l => (string?)l.Scope.GetValueOrDefault("ClientRequestId") == "request-line-2");
        line.Scope["OrganizationId"].ShouldBe(member.OrganizationId);
        line.Scope["UserId"].ShouldBe(member.UserId);
        line.Scope.Values.Select(value => $"{value}").ShouldNotContain(text => text.Contains(member.AccessToken));
    }

    [Fact]
    public async Task RequestLine_OfAnUnhandledException_KeepsTheRouteTemplate_AndIsAnError()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/_probe/boom");
        request.Headers.Add("X-Request-Id", "request-line-3");

        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        var line = await RequestLineOfAsync(l => (string?)l.Scope.GetValueOrDefault("ClientRequestId") == "request-line-3");
        line.Message.ShouldContain("GET /api/v1/_probe/boom responded 500 in");
        line.Level.ShouldBe(LogLevel.Error);
        line.Message.ShouldNotContain("hunter2");
    }

    /// <summary>
    /// The one request line matching <paramref name="request"/> (two would be a second line for one request).
    /// It is written once the response is done, which the client may see a moment earlier.
    /// </summary>
    private async Task<CapturedLine> RequestLineOfAsync(Func<CapturedLine, bool> request)
    {
        bool IsIt(CapturedLine line) => line.Category.EndsWith("RequestLoggingMiddleware", StringComparison.Ordinal) && request(line);
        await Eventually.HoldsAsync(() => Task.FromResult(_factory.Logs.Lines.Any(IsIt)), TimeSpan.FromSeconds(10), "the request line");
        return _factory.Logs.Lines.Single(IsIt);
    }

    private Task<HttpResponseMessage> PostJsonAsync(string json)
    {
        var body = new StringContent(json, Encoding.UTF8);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return _client.PostAsync("/api/v1/_probe/echo", body, TestContext.Current.CancellationToken);
    }
}
