using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Infrastructure.Jobs;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.Jobs;

/// <summary>
/// The job life cycle as a pure table (<see cref="JobStateMachine"/>), its invariants over random
/// sequences of events, and the SQL functions of migration 0005 driven by the same sequences: the
/// database must end every step where the table says.
/// </summary>
[Collection(JobEngineSerial.Name)]
public sealed class JobStateMachineTests : IAsyncLifetime
{
    private static readonly Gen<JobTransition[]> Sequences = Gen.Elements(Enum.GetValues<JobTransition>()).ArrayOf();
    private static readonly Gen<int> MaxAttempts = Gen.Choose(1, 4);

    private readonly ScratchDatabases _databases = new();
    private string _database = string.Empty;
    private int _queues;
    private NpgsqlConnection? _modelConnection;

    public async ValueTask InitializeAsync() => _database = await _databases.MigratedAsync();

    public async ValueTask DisposeAsync()
    {
        if (_modelConnection is not null)
        {
            await _modelConnection.DisposeAsync();
        }

        await _databases.DisposeAsync();
    }

    [Property]
    public Property AnySequenceOfEvents_KeepsTheInvariants()
    {
        return Prop.ForAll(MaxAttempts.ToArbitrary(), Sequences.ToArbitrary(), (max, events) =>
        {
            var job = JobSnapshot.New(max);
            foreach (var transition in events)
            {
                var next = JobStateMachine.Apply(job, transition);
                if (next is { } moved)
                {
                    CheckStep(job, transition, moved);
                    job = moved;
                }
                else
                {
                    CheckRefusal(job, transition);
                }
            }
        });
    }

    [Fact]
    public void ARetryableFailure_RequeuesWhileAttemptsRemain_ThenDeadLetters()
    {
        var running = new JobSnapshot(JobState.Running, 2, 3, false);

        JobStateMachine.Apply(running, JobTransition.FailRetryably)!.Value.State.ShouldBe(JobState.Queued);
        JobStateMachine.Apply(running with { Attempt = 3 }, JobTransition.FailRetryably)!.Value.State.ShouldBe(JobState.DeadLettered);
        JobStateMachine.Apply(running with { CancelRequested = true }, JobTransition.FailRetryably)!.Value.State.ShouldBe(JobState.Cancelled);
        JobStateMachine.Apply(running, JobTransition.Release).ShouldBe(new JobSnapshot(JobState.Queued, 1, 3, false));
    }

    [Property(MaxTest = 60)]
    public Property TheSqlFunctions_FollowTheTable_ForAnySequenceOfEvents()
    {
        // FsCheck calls a property method once per case: one connection serves them all.
        var connection = _modelConnection ??= OpenModelConnection();
        return Prop.ForAll(MaxAttempts.ToArbitrary(), Sequences.ToArbitrary(), (max, events) =>
        {
            var queue = $"model-{Interlocked.Increment(ref _queues)}";
            var id = Insert(connection, queue, max);
            var job = JobSnapshot.New(max);
            var trail = new List<string>();
            foreach (var transition in events)
            {
                job = JobStateMachine.Apply(job, transition) ?? job;
                Apply(connection, id, queue, transition);
                var stored = Read(connection, id);
                trail.Add($"{transition} -> {stored}");
                stored.ShouldBe(job, string.Join("; ", trail));
            }
        });
    }

    private NpgsqlConnection OpenModelConnection()
    {
        var connection = new NpgsqlConnection(TestPostgres.AppConnection(_database));
        connection.Open();
        return connection;
    }

    private static void CheckStep(JobSnapshot before, JobTransition transition, JobSnapshot after)
    {
        after.Attempt.ShouldBeInRange(0, after.MaxAttempts);
        after.MaxAttempts.ShouldBe(before.MaxAttempts);
        (after.State == JobState.Queued && after.CancelRequested).ShouldBeFalse("a job whose cancellation was asked for is never queued again");
        before.State.ShouldNotBe(JobState.Succeeded);
        before.State.ShouldNotBe(JobState.Cancelled);
        var expectedAttempt = transition switch
        {
            JobTransition.Claim => before.Attempt + 1,
            JobTransition.Release when after.State == JobState.Queued => before.Attempt - 1,
            JobTransition.Requeue => 0,
            _ => before.Attempt,
        };
        after.Attempt.ShouldBe(expectedAttempt);
        if (before.State is JobState.Failed or JobState.DeadLettered)
        {
            transition.ShouldBe(JobTransition.Requeue);
        }
    }

    private static void CheckRefusal(JobSnapshot job, JobTransition transition)
    {
        var applies = (job.State, transition) switch
        {
            (JobState.Queued, JobTransition.Claim) => job.Attempt < job.MaxAttempts,
            (JobState.Queued, JobTransition.RequestCancel) => true,
            (JobState.Running, not (JobTransition.Claim or JobTransition.Requeue)) => true,
            (JobState.Failed or JobState.DeadLettered, JobTransition.Requeue) => true,
            _ => false,
        };
        applies.ShouldBeFalse($"{transition} was refused in {job}");
    }

    private static Guid Insert(NpgsqlConnection connection, string queue, int maxAttempts)
    {
        var id = Guid.CreateVersion7();
        Execute(
            connection,
            "INSERT INTO jobs (id, kind, queue, priority, payload, organization_id, state, attempt, max_attempts, run_at, enqueued_at) " +
            $"VALUES ('{id}', 'test.model', '{queue}', 0, '{{}}', NULL, 'queued', 0, {maxAttempts}, now() - interval '1 second', now())");
        return id;
    }

    private void Apply(NpgsqlConnection connection, Guid id, string queue, JobTransition transition)
    {
        switch (transition)
        {
            case JobTransition.Claim:
                Execute(connection, $"SELECT count(*) FROM loupe_jobs_claim('model-node', 1, 1, 30, 5, ARRAY['{queue}'])");
                break;
            case JobTransition.Succeed:
                Execute(connection, $"SELECT loupe_jobs_finish('{id}', 'model-node', 'succeeded', NULL, NULL)");
                break;
            case JobTransition.FailRetryably:
                Execute(connection, $"SELECT loupe_jobs_finish('{id}', 'model-node', 'queued', 'passing trouble', now() - interval '1 second')");
                break;
            case JobTransition.FailPermanently:
                Execute(connection, $"SELECT loupe_jobs_finish('{id}', 'model-node', 'failed', 'lasting trouble', NULL)");
                break;
            case JobTransition.GiveUp:
                Execute(connection, $"SELECT loupe_jobs_finish('{id}', 'model-node', 'dead_lettered', 'given up', NULL)");
                break;
            case JobTransition.EndCancelled:
                Execute(connection, $"SELECT loupe_jobs_finish('{id}', 'model-node', 'cancelled', NULL, NULL)");
                break;
            case JobTransition.Release:
                Execute(connection, $"SELECT loupe_jobs_release('model-node', ARRAY['{id}'::uuid])");
                break;
            case JobTransition.ExpireLease:
                // Only the owner can age a lease; the sweep itself runs as the application.
                using (var owner = new NpgsqlConnection(TestPostgres.OwnerConnection(_database)))
                {
                    owner.Open();
                    Execute(owner, $"UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = '{id}' AND state = 'running'");
                }

                Execute(connection, "SELECT count(*) FROM loupe_jobs_sweep()");
                break;
            case JobTransition.RequestCancel:
                Execute(connection, $"SELECT loupe_jobs_cancel('{id}')");
                break;
            case JobTransition.Requeue:
                Execute(connection, $"SELECT loupe_jobs_requeue('{id}')");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(transition), transition, null);
        }
    }

    private static JobSnapshot Read(NpgsqlConnection connection, Guid id)
    {
        using var command = new NpgsqlCommand($"SELECT state, attempt, max_attempts, cancel_requested_at IS NOT NULL FROM loupe_jobs_get('{id}')", connection);
        using var reader = command.ExecuteReader();
        reader.Read().ShouldBeTrue();
        return new JobSnapshot(JobStates.Parse(reader.GetString(0)), reader.GetInt32(1), reader.GetInt32(2), reader.GetBoolean(3));
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
