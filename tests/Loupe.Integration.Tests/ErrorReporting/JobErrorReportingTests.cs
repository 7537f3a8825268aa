using System.Text.Json;
using Loupe.Application.Common.Jobs;
using Loupe.Infrastructure.ErrorReporting;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Sentry;
using static Loupe.Integration.Tests.ErrorReporting.ErrorReportingSerial;

namespace Loupe.Integration.Tests.ErrorReporting;

/// <summary>A worker host (the engine and <c>AddLoupeErrorReporting</c>, as Loupe.Worker composes them) with <c>Sentry:Dsn</c> set.</summary>
[Collection(ErrorReportingSerial.Name)]
public sealed class JobErrorReportingTests : IAsyncLifetime
{
    private const string ResetToken = "leaky-reset-token-0123456789";
    private static readonly string Payload = JsonSerializer.Serialize(new { email = LeakyFailure.Email, reset_token = ResetToken });
    private readonly ScratchDatabases _databases = new();
    private string _database = string.Empty;

    public async ValueTask InitializeAsync() => _database = await _databases.MigratedAsync();

    public ValueTask DisposeAsync() => _databases.DisposeAsync();

    [Fact]
    public async Task AJobThatFails_IsReported_WithItsIdAndKind_ButNotItsPayloadOrErrorText()
    {
        await using var receiver = await SentryReceiver.StartAsync();
        var connection = TestPostgres.AppConnection(_database);
        await using var node = await WorkerNode(receiver.Dsn, new TestHandler("test.leaky", async (context, _) =>
        {
            using var payload = JsonDocument.Parse(context.Payload);
            await LeakyFailure.ThrowAsync(connection, payload.RootElement.GetProperty("email").GetString()!, LeakyFailure.Password);
        })).StartAsync();

        var id = (await node.EnqueueAsync(null, new JobRequest("test.leaky", Payload, null, MaxAttempts: 3)))[0];
        var row = await JobRows.WaitForAsync(_database, id, Patience, "failed");
        await SentrySdk.FlushAsync(Patience);
        var reported = await receiver.WaitForEventAsync(e => Tag(e, "job.id") == id.ToString(), Patience);

        Tag(reported, "job.kind").ShouldBe("test.leaky");
        Tag(reported, "job.outcome").ShouldBe("failed");
        Tag(reported, "job.attempt").ShouldBe("1");
        Tag(reported, "job.failure_type").ShouldBe("InvalidOperationException");
        Tag(reported, "db.sqlstate").ShouldBe("42703");
        reported.GetProperty("environment").GetString().ShouldBe("Testing");
        ExceptionTypes(reported).ShouldBe(["Npgsql.PostgresException", "System.InvalidOperationException"]);

        // The error text is stored for Loupe's own dashboard, with the SQL and the e-mail; none of it is sent.
        row.Error.ShouldNotBeNull().ShouldContain(LeakyFailure.Column);
        foreach (var secret in LeakyFailure.Secrets.Append(ResetToken))
        {
            receiver.AllText.ShouldNotContain(secret, Case.Insensitive);
        }
    }

    [Fact]
    public async Task AJobThatIsDeadLettered_IsReportedOnce_ForItsLastAttempt()
    {
        await using var receiver = await SentryReceiver.StartAsync();
        await using var node = await WorkerNode(receiver.Dsn, new TestHandler("test.flaky", (context, _) =>
            throw new RetryableJobException($"mail to {LeakyFailure.Email} refused on attempt {context.Attempt}"))).StartAsync();

        var id = (await node.EnqueueAsync(null, new JobRequest("test.flaky", Payload, null, MaxAttempts: 2)))[0];
        await JobRows.WaitForAsync(_database, id, Patience, "dead_lettered");
        await SentrySdk.FlushAsync(Patience);
        var reported = await receiver.WaitForEventAsync(e => Tag(e, "job.id") == id.ToString(), Patience);

        Tag(reported, "job.outcome").ShouldBe("dead_lettered");
        Tag(reported, "job.attempt").ShouldBe("2");
        ExceptionTypes(reported).ShouldBe(["Loupe.Application.Common.Jobs.RetryableJobException"]);
        receiver.Events.Count(e => Tag(e, "job.id") == id.ToString()).ShouldBe(1);
        receiver.AllText.ShouldNotContain(LeakyFailure.Email);
        receiver.AllText.ShouldNotContain(ResetToken);
    }

    private JobNode WorkerNode(string dsn, TestHandler handler) =>
        JobNode.Create(_database, "node-a", services => services
            .AddSingleton<IJobHandler>(handler)
            .AddLoupeErrorReporting(ReportingConfiguration(dsn)));
}
