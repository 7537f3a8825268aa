using System.Net;
using System.Net.Http.Json;
using Loupe.Api;
using Loupe.Application.Common.Jobs;
using Loupe.Infrastructure.ErrorReporting;
using Loupe.Infrastructure.Jobs;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Sentry;
using static Loupe.Integration.Tests.ErrorReporting.ErrorReportingSerial;

namespace Loupe.Integration.Tests.ErrorReporting;

/// <summary>Without <c>Sentry:Dsn</c>, error reporting does not exist: no SDK, no Sentry service, nothing sent.</summary>
[Collection(ErrorReportingSerial.Name)]
public sealed class ErrorReportingOffTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task WithoutADsn_TheSdkIsNotInitialized_AndNeitherAFailedRequestNorAFailedJobIsSent()
    {
        await using var receiver = await SentryReceiver.StartAsync();

        // The SDK would fall back to SENTRY_DSN if it were initialized at all: only Sentry:Dsn may switch reporting on.
        Environment.SetEnvironmentVariable("SENTRY_DSN", receiver.Dsn);
        try
        {
            await using var api = LoupeApiFactory.For(database, settings: new Dictionary<string, string?> { ["Sentry:Release"] = "loupe@test" });
            api.TestServices = services => services.AddSingleton<IEndpointModule, ReportingProbeEndpoints>();
            using var client = api.CreateClient();
            await using var worker = await JobNode.Create(database.Name, "node-off", services => services
                .AddSingleton<IJobHandler>(new TestHandler("test.off", (_, _) => throw new InvalidOperationException("broken")))
                .AddLoupeErrorReporting(ReportingConfiguration(dsn: null))).StartAsync();

            using var failed = await client.PostAsJsonAsync(
                new Uri($"/api/v1/_reporting/lookup?email={Uri.EscapeDataString(LeakyFailure.Email)}", UriKind.Relative),
                new { password = LeakyFailure.Password },
                TestContext.Current.CancellationToken);
            var id = (await worker.EnqueueAsync(null, new JobRequest("test.off", "{}", null, MaxAttempts: 1)))[0];
            await JobRows.WaitForAsync(database.Name, id, Patience, "failed");
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

            failed.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
            SentrySdk.IsEnabled.ShouldBeFalse();
            api.Services.GetService<IHub>().ShouldBeNull();
            api.Services.GetService<SentryOptions>().ShouldBeNull();
            worker.Services.GetService<SentryOptions>().ShouldBeNull();
            worker.Services.GetRequiredService<IJobFailureReporter>().ShouldBeOfType<NoJobFailureReporter>();
            receiver.Envelopes.ShouldBeEmpty();
        }
        finally
        {
            Environment.SetEnvironmentVariable("SENTRY_DSN", null);
        }
    }
}
