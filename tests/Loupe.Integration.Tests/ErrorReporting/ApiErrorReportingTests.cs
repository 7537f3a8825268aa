using System.Net;
using System.Net.Http.Json;
using Loupe.Api;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Sentry;
using static Loupe.Integration.Tests.ErrorReporting.ErrorReportingSerial;

namespace Loupe.Integration.Tests.ErrorReporting;

/// <summary>The API with <c>Sentry:Dsn</c> set, against a local receiver (ADR 0041).</summary>
[Collection(ErrorReportingSerial.Name)]
public sealed class ApiErrorReportingTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private const string ApiKey = "lk_leaky0api0key0value";
    private const string Cookie = "leaky-cookie-value";

    [Fact]
    public async Task AnUnhandledException_IsReported_WithRequestIdAndEnvironment_AndNoSecretSqlOrEmail()
    {
        await using var receiver = await SentryReceiver.StartAsync();
        await using var factory = ReportingApi(receiver.Dsn);
        var member = await new IdentityDriver(factory).RegisterAsync();
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(LeakyRequest(member.AccessToken), TestContext.Current.CancellationToken);
        await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError);
        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        await SentrySdk.FlushAsync(Patience);
        var reported = await receiver.WaitForEventAsync(e => Tag(e, "request_id") == requestId, Patience);
        TestContext.Current.TestOutputHelper?.WriteLine(reported.GetRawText());

        reported.GetProperty("environment").GetString().ShouldBe("Testing");
        reported.GetProperty("release").GetString().ShouldStartWith("loupe@");
        reported.GetProperty("transaction").GetString().ShouldBe("POST /api/v1/_reporting/lookup");
        ExceptionTypes(reported).ShouldBe(["Npgsql.PostgresException", "System.InvalidOperationException"]);
        Exceptions(reported)[0].GetProperty("value").GetString().ShouldStartWith("SQLSTATE 42703");
        Tag(reported, "db.sqlstate").ShouldBe("42703");
        foreach (var secret in LeakyFailure.Secrets.Concat([member.AccessToken, ApiKey, Cookie]))
        {
            receiver.AllText.ShouldNotContain(secret, Case.Insensitive);
        }
    }

    [Fact]
    public async Task ARefusal_IsNotReported_WhileTheNextServerErrorIs()
    {
        await using var receiver = await SentryReceiver.StartAsync();
        await using var factory = ReportingApi(receiver.Dsn);
        using var client = factory.CreateClient();

        using var refused = await client.GetAsync(new Uri("/api/v1/_reporting/taken", UriKind.Relative), TestContext.Current.CancellationToken);
        using var notFound = await client.GetAsync(new Uri("/api/v1/no-such-thing", UriKind.Relative), TestContext.Current.CancellationToken);
        using var failed = await client.SendAsync(LeakyRequest("not-a-token"), TestContext.Current.CancellationToken);
        await SentrySdk.FlushAsync(Patience);
        var failedId = failed.Headers.GetValues("X-Request-Id").Single();
        await receiver.WaitForEventAsync(e => Tag(e, "request_id") == failedId, Patience);

        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        notFound.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        string[] notReported = [refused.Headers.GetValues("X-Request-Id").Single(), notFound.Headers.GetValues("X-Request-Id").Single()];
        receiver.Events.ShouldNotContain(e => notReported.Contains(Tag(e, "request_id")));
        receiver.AllText.ShouldNotContain("DomainException");
    }

    [Fact]
    public async Task AJobThatFailsInTheApisEngine_IsReported_WithItsIdAndKind()
    {
        await using var receiver = await SentryReceiver.StartAsync();
        await using var factory = ReportingApi(receiver.Dsn, runJobs: true);
        factory.TestServices += services => services.AddSingleton<IJobHandler>(
            new TestHandler("test.api-broken", (_, _) => throw new InvalidOperationException($"mail to {LeakyFailure.Email} failed")));
        using var client = factory.CreateClient();

        Guid id;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            id = scope.ServiceProvider.GetRequiredService<IJobScheduler>().Enqueue(new JobRequest("test.api-broken", "{}", null, MaxAttempts: 1));
            await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await JobRows.WaitForAsync(database.Name, id, Patience, "failed");
        await SentrySdk.FlushAsync(Patience);
        var reported = await receiver.WaitForEventAsync(e => Tag(e, "job.id") == id.ToString(), Patience);

        Tag(reported, "job.kind").ShouldBe("test.api-broken");
        Tag(reported, "request_id").ShouldBeNull();
        receiver.AllText.ShouldNotContain(LeakyFailure.Email);
    }

    private LoupeApiFactory ReportingApi(string dsn, bool runJobs = false)
    {
        var settings = new Dictionary<string, string?> { ["Sentry:Dsn"] = dsn };
        if (runJobs)
        {
            settings["Jobs:RunInApi"] = "true";
            settings["Jobs:PollMilliseconds"] = "250";
        }

        var factory = LoupeApiFactory.For(database, settings: settings);
        factory.TestServices = services => services.AddSingleton<IEndpointModule, ReportingProbeEndpoints>();
        return factory;
    }

    /// <summary>A request that carries every kind of secret: a bearer token, an API key, a cookie, a password in the body and an e-mail in the query.</summary>
    private static HttpRequestMessage LeakyRequest(string accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/_reporting/lookup?email={Uri.EscapeDataString(LeakyFailure.Email)}")
        {
            Content = JsonContent.Create(new { password = LeakyFailure.Password }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Add("X-API-Key", ApiKey);
        request.Headers.Add("Cookie", "loupe_session=" + Cookie);
        return request;
    }
}
