using Loupe.Infrastructure.Persistence;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.Persistence;

/// <summary>
/// Issue 10 point 5, reduced to Npgsql alone: a one-connection pool with the settings of Loupe's own pools
/// (automatic preparation after two usages, no session reset). A statement is prepared in the same round
/// trip as its second execution; when PostgreSQL accepts its Parse but refuses that execution's
/// parameters at Bind (22021, a NUL character in a text parameter), Npgsql 10 keeps the statement as
/// prepared without the description of its rows, and the next execution of the same SQL text on that
/// connection reads a DataRow it does not expect. The bare pool shows the cause; the same sequence
/// through <see cref="PreparedStatementGuard"/> (as Loupe runs it) stays in step.
/// </summary>
public sealed class AutoPrepareBindFailureTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private const string Desynchronized = "Received unexpected backend message DataRow";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private NpgsqlDataSource Pool(int maxAutoPrepare)
    {
        var builder = new NpgsqlDataSourceBuilder(database.AppConnection);
        builder.ConnectionStringBuilder.MaxPoolSize = 1;
        builder.ConnectionStringBuilder.MaxAutoPrepare = maxAutoPrepare;
        builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        return builder.Build();
    }

    /// <summary>Opens a connection of the pool, runs the batch and reads its rows; with a guard, the way Loupe does.</summary>
    private static async Task<int> RunAsync(NpgsqlDataSource pool, PreparedStatementGuard? guard, params NpgsqlBatchCommand[] commands)
    {
        await using var connection = await pool.OpenConnectionAsync(Ct);
        guard?.Opened(connection);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }

        try
        {
            await using var reader = await batch.ExecuteReaderAsync(Ct);
            var rows = 0;
            do
            {
                while (await reader.ReadAsync(Ct))
                {
                    rows++;
                }
            }
            while (await reader.NextResultAsync(Ct));
            return rows;
        }
        catch (Exception e)
        {
            guard?.Failed(connection, e);
            throw;
        }
    }

    private static NpgsqlBatchCommand Statement(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private static object[] Values(int parameters, string text) => parameters == 1 ? [text] : [text, "y"];

    [Theory]
    [InlineData("SELECT $1::text || 'x'", 1)]
    [InlineData("SELECT $1::text || $2::text", 2)]
    [InlineData("SELECT v FROM (VALUES ($1::text || $2::text)) AS t(v) WHERE true", 2)]
    public async Task BarePool_ASelectWhoseSecondUsageFailsAtBind_BreaksItsNextUsage(string sql, int parameters)
    {
        await using var pool = Pool(maxAutoPrepare: 64);

        (await RunAsync(pool, null, Statement(sql, Values(parameters, "a")))).ShouldBe(1);
        var refused = await Should.ThrowAsync<PostgresException>(() => RunAsync(pool, null, Statement(sql, Values(parameters, "a\0b"))));
        refused.SqlState.ShouldBe(PostgresErrorCodes.CharacterNotInRepertoire);

        var broken = await Should.ThrowAsync<Exception>(() => RunAsync(pool, null, Statement(sql, Values(parameters, "c"))));
        broken.Message.ShouldStartWith(Desynchronized);
    }

    [Fact]
    public async Task BarePool_InABatchAfterAnotherStatement_TheSameBreaks()
    {
        await using var pool = Pool(maxAutoPrepare: 64);
        const string Sql = "SELECT $1::text AS v";
        NpgsqlBatchCommand[] Batch(string text) => [Statement("DO $$ BEGIN PERFORM set_config('loupe.test', 'x', true); END $$"), Statement(Sql, text)];

        (await RunAsync(pool, null, Batch("a"))).ShouldBe(1);
        await Should.ThrowAsync<PostgresException>(() => RunAsync(pool, null, Batch("a\0b")));
        (await Should.ThrowAsync<Exception>(() => RunAsync(pool, null, Batch("c")))).Message.ShouldStartWith(Desynchronized);
    }

    [Fact]
    public async Task BarePool_AStatementWithoutRows_OrAFailureAtAnotherUsage_OrNoAutomaticPreparation_StaysInStep()
    {
        await using (var pool = Pool(maxAutoPrepare: 64))
        {
            // No rows to describe: the missing description is the right one.
            const string Update = "UPDATE users SET name = name WHERE false AND name = $1::text";
            await RunAsync(pool, null, Statement(Update, "a"));
            await Should.ThrowAsync<PostgresException>(() => RunAsync(pool, null, Statement(Update, "a\0b")));
            await RunAsync(pool, null, Statement(Update, "a"));

            // Refused at its first usage: nothing is prepared yet.
            const string First = "SELECT $1::text || 'first'";
            await Should.ThrowAsync<PostgresException>(() => RunAsync(pool, null, Statement(First, "a\0b")));
            (await RunAsync(pool, null, Statement(First, "a"))).ShouldBe(1);
            (await RunAsync(pool, null, Statement(First, "a"))).ShouldBe(1);
            (await RunAsync(pool, null, Statement(First, "a"))).ShouldBe(1);

            // Refused at its third usage: prepared, with its description, by the second.
            const string Third = "SELECT $1::text || 'third'";
            (await RunAsync(pool, null, Statement(Third, "a"))).ShouldBe(1);
            (await RunAsync(pool, null, Statement(Third, "a"))).ShouldBe(1);
            await Should.ThrowAsync<PostgresException>(() => RunAsync(pool, null, Statement(Third, "a\0b")));
            (await RunAsync(pool, null, Statement(Third, "a"))).ShouldBe(1);
        }

        await using (var unprepared = Pool(maxAutoPrepare: 0))
        {
            const string Sql = "SELECT $1::text || 'x'";
            (await RunAsync(unprepared, null, Statement(Sql, "a"))).ShouldBe(1);
            await Should.ThrowAsync<PostgresException>(() => RunAsync(unprepared, null, Statement(Sql, "a\0b")));
            (await RunAsync(unprepared, null, Statement(Sql, "c"))).ShouldBe(1);
        }
    }

    [Theory]
    [InlineData("SELECT $1::text || 'x'", 1)]
    [InlineData("SELECT $1::text || $2::text", 2)]
    public async Task GuardedPool_ASelectWhoseSecondUsageFailsAtBind_RunsAgain_AndIsPreparedAgain(string sql, int parameters)
    {
        await using var pool = Pool(maxAutoPrepare: 64);
        var guard = new PreparedStatementGuard();

        (await RunAsync(pool, guard, Statement(sql, Values(parameters, "a")))).ShouldBe(1);
        var refused = await Should.ThrowAsync<PostgresException>(() => RunAsync(pool, guard, Statement(sql, Values(parameters, "a\0b"))));
        refused.SqlState.ShouldBe(PostgresErrorCodes.CharacterNotInRepertoire);
        for (var i = 0; i < 5; i++)
        {
            (await RunAsync(pool, guard, Statement(sql, Values(parameters, "c")))).ShouldBe(1);
        }

        // Automatic preparation is still on: the statement is prepared on the server again.
        (await RunAsync(pool, guard, Statement("SELECT name FROM pg_prepared_statements WHERE statement = $1", sql))).ShouldBe(1);
    }
}
