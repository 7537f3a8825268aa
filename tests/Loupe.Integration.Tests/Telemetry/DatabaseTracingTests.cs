using System.Collections.Concurrent;
using System.Diagnostics;
using Loupe.Infrastructure.Persistence;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Telemetry;

/// <summary>
/// What the spans of Loupe's own pools hold (ADR 0040): by default, commands inside a traced operation
/// only and without SQL text; <c>Database:TraceStatementText</c> keeps the text and
/// <c>Database:TraceAllCommands</c> traces commands outside an operation too.
/// </summary>
public sealed class DatabaseTracingTests : IDisposable
{
    private const string Statement = "SELECT 41 + 1";
    private static readonly ActivitySource Operation = new("Loupe.Tests.Operation");

    private readonly string _pool = $"tracing-{Guid.NewGuid():N}";
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;

    public DatabaseTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "Loupe.Tests.Operation",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "Npgsql" && activity.GetTagItem("db.npgsql.data_source") as string == _pool)
                {
                    _spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Theory]
    [InlineData(false, false, false, false)]
    [InlineData(false, false, true, true)]
    [InlineData(true, false, false, false)]
    [InlineData(true, false, true, true)]
    [InlineData(false, true, false, true)]
    [InlineData(true, true, false, true)]
    public async Task OwnCommands_MakeSpans_InsideAnOperationOrWhenAllAreTraced_WithTextOnlyWhenAsked(
        bool withText, bool everyCommand, bool insideOperation, bool spanExpected)
    {
        var options = new DatabaseOptions
        {
            ConnectionString = TestPostgres.AdminConnection,
            TraceStatementText = withText,
            TraceAllCommands = everyCommand,
        };
        await using var dataSource = options.PoolBuilder(1, _pool).Build();

        using (var operation = insideOperation ? Operation.StartActivity("operation") : null)
        {
            Activity.Current.ShouldBe(operation);
            await using var command = dataSource.CreateCommand(Statement);
            (await command.ExecuteScalarAsync(TestContext.Current.CancellationToken)).ShouldBe(42);
        }

        var spans = _spans.ToList();
        if (!spanExpected)
        {
            spans.ShouldBeEmpty();
            return;
        }

        var span = spans.ShouldHaveSingleItem();
        span.GetTagItem("db.query.text").ShouldBe(withText ? Statement : null);
        if (!insideOperation)
        {
            span.Parent.ShouldBeNull();
        }
    }
}
