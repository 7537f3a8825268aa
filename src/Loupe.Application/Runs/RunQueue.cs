using System.Text.Json;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;

using Loupe.Domain.DataSources;
using Loupe.Domain.Queries.Safety;
using Loupe.Domain.Runs;
using Mapster;

namespace Loupe.Application.Runs;

/// <summary>
/// Queues a run and its job in one save, or answers a fresh enough earlier result of the same data
/// source, SQL and values (<c>max_age_seconds</c>) among the runs the caller may see (another
/// person's ad-hoc run is never answered to someone who may not read it). Shared by ad-hoc runs, saved-query runs, dashboard refreshes and schedules. An
/// organization's runs waiting to start are capped (<see cref="RunSettings.MaxQueuedPerOrganization"/>).
/// </summary>
internal sealed class RunQueue(
    ITenantScope tenant,
    ICurrentUser user,
    IReadStore store,
    IQueryExecutor executor,
    IRepository<QueryRun> runs,
    IJobScheduler jobs,
    IUnitOfWork unitOfWork,
    RunSettings settings,
    TypeAdapterConfig mapping,
    TimeProvider clock)
{
    /// <summary>
    /// What to run: SQL already bound to <c>$1…$n</c> (<see cref="RunBinding"/>), its values and its
    /// source; the timeout the request asked for and the saved query's own, of which
    /// <see cref="RunTimeout.For"/> makes the run's.
    /// </summary>
    public sealed record Request(
        DataSource DataSource,
        Guid? SavedQueryId,
        RunBinding.Bound Bound,
        int? TimeoutSeconds,
        int? MaxAgeSeconds,
        JobPriority Priority = JobPriority.Interactive,
        int? SavedTimeoutSeconds = null,
        Guid? ScheduleId = null);

    /// <summary>The queued run, or the cached one (<see cref="RunDto.FromCache"/>).</summary>
    public async Task<RunDto> QueueAsync(Request request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sql = request.Bound.Query.Sql;
        var verdict = SqlSafety.Check(sql);
        if (!verdict.IsAllowed)
        {
            throw new ValidationFailedException(new Dictionary<string, string[]> { ["sql"] = [verdict.Reason!.Message] });
        }

        var dataSource = request.DataSource;
        var timeout = RunTimeout.For(dataSource, request.TimeoutSeconds, request.SavedTimeoutSeconds);

        var values = RunParameterValues.Encode(request.Bound.Query.Values);
        var cacheKey = RunCacheKey.Of(dataSource.Id, sql, values);
        var now = clock.GetUtcNow();
        if (request.MaxAgeSeconds is { } maxAge)
        {
            var since = now.AddSeconds(-maxAge);
            var cached = await executor.FirstOrDefaultAsync(
                store.Query<QueryRun>()
                    .VisibleTo(user)
                    .Where(r => r.CacheKey == cacheKey && r.Status == RunStatus.Succeeded && !r.ResultExpired && r.FinishedAt >= since)
                    .OrderByDescending(r => r.FinishedAt)
                    .ProjectToType<RunDto>(mapping),
                ct).ConfigureAwait(false);
            if (cached is not null)
            {
                return cached with { FromCache = true };
            }
        }

        var organizationId = tenant.RequiredOrganizationId();

        // Requests at the same moment may each see room: a soft cap.
        var limit = settings.MaxQueuedPerOrganization;
        var queued = await WaitingAsync(limit, ct).ConfigureAwait(false);
        RunQueueQuota.EnsureRoom(queued, limit);

        var run = QueryRun.Queue(
            Guid.CreateVersion7(), organizationId, dataSource.Id, request.SavedQueryId, user.UserId, sql, values, cacheKey, timeout, dataSource.MaxRows, now, request.Bound.Source);
        var jobId = jobs.Enqueue(new JobRequest(
            RunQueryJobHandler.JobKind,
            JsonSerializer.Serialize(new RunQueryJobHandler.Payload(run.Id)),
            organizationId,
            request.Priority,
            MaxAttempts: RunQueryJobHandler.JobAttempts));
        run.AssignJob(jobId);
        runs.Add(run);
        await unitOfWork.SaveChangesAsync(ct).ConfigureAwait(false);
        // Every run waiting before it was counted just above (up to the cap, which refused a full
        // queue): its place in the queue costs nothing more.
        return run.Adapt<RunDto>(mapping) with { QueuePosition = queued + 1 };
    }

    /// <summary>
    /// The organization's runs waiting to start, queued or retrying, counted up to <paramref name="limit"/>
    /// only (row-level security keeps the count to its own). Which rows fill the limit does not change
    /// the count, but a limit without an order is one EF Core warns of on every run; queue order is
    /// the one the index of waiting runs gives for free.
    /// </summary>
    private Task<int> WaitingAsync(int limit, CancellationToken ct) =>
        executor.CountAsync(
            store.Query<QueryRun>()
                .Where(r => r.Status == RunStatus.Queued || r.Status == RunStatus.Retrying)
                .OrderBy(r => r.QueuedAt)
                .Take(limit),
            ct);

    /// <summary>
    /// Queues several runs and their jobs in one save (one transaction: all are queued or none), the
    /// queue cap counted once for all of them. No cached result is looked for: the caller decided
    /// these must run (a dashboard refresh skips fresh results itself).
    /// </summary>
    public async Task<IReadOnlyList<RunDto>> QueueManyAsync(IReadOnlyList<Request> requests, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0)
        {
            return [];
        }

        var organizationId = tenant.RequiredOrganizationId();
        var limit = settings.MaxQueuedPerOrganization;
        var queued = await WaitingAsync(limit, ct).ConfigureAwait(false);
        RunQueueQuota.EnsureRoom(queued + requests.Count - 1, limit);

        var now = clock.GetUtcNow();
        var answers = new List<RunDto>(requests.Count);
        foreach (var request in requests)
        {
            var run = NewRun(request, organizationId, now);
            runs.Add(run);
            answers.Add(run.Adapt<RunDto>(mapping) with { QueuePosition = queued + answers.Count + 1 });
        }

        await unitOfWork.SaveChangesAsync(ct).ConfigureAwait(false);
        return answers;
    }

    /// <summary>
    /// Queues runs of schedules in the unit of work without saving it: the caller saves them together
    /// with the schedules' own change, in one transaction. A firing is not refused by the queue cap
    /// (<paramref name="capped"/> false): a refused firing would be a run silently missed, and schedules
    /// are limited by their minimum interval instead. A run asked for by hand (a trigger) is capped as
    /// every run someone asks for.
    /// </summary>
    public async Task<IReadOnlyList<QueryRun>> StageAsync(IReadOnlyList<Request> requests, bool capped, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var organizationId = tenant.RequiredOrganizationId();
        if (capped && requests.Count > 0)
        {
            var limit = settings.MaxQueuedPerOrganization;
            RunQueueQuota.EnsureRoom(await WaitingAsync(limit, ct).ConfigureAwait(false) + requests.Count - 1, limit);
        }

        var now = clock.GetUtcNow();
        var staged = new List<QueryRun>(requests.Count);
        foreach (var request in requests)
        {
            var run = NewRun(request, organizationId, now);
            runs.Add(run);
            staged.Add(run);
        }

        return staged;
    }

    /// <summary>A run of the request, checked as every run is, with its job enqueued (saved with it).</summary>
    private QueryRun NewRun(Request request, Guid organizationId, DateTimeOffset now)
    {
        var sql = request.Bound.Query.Sql;
        var verdict = SqlSafety.Check(sql);
        if (!verdict.IsAllowed)
        {
            throw new ValidationFailedException(new Dictionary<string, string[]> { ["sql"] = [verdict.Reason!.Message] });
        }

        var dataSource = request.DataSource;
        var timeout = RunTimeout.For(dataSource, request.TimeoutSeconds, request.SavedTimeoutSeconds);
        var values = RunParameterValues.Encode(request.Bound.Query.Values);
        var run = QueryRun.Queue(
            Guid.CreateVersion7(), organizationId, dataSource.Id, request.SavedQueryId, user.UserId, sql, values, RunCacheKey.Of(dataSource.Id, sql, values),
            timeout, dataSource.MaxRows, now, request.Bound.Source);
        var jobId = jobs.Enqueue(new JobRequest(
            RunQueryJobHandler.JobKind,
            JsonSerializer.Serialize(new RunQueryJobHandler.Payload(run.Id)),
            organizationId,
            request.Priority,
            MaxAttempts: RunQueryJobHandler.JobAttempts));
        run.AssignJob(jobId);
        if (request.ScheduleId is { } scheduleId)
        {
            run.AssignSchedule(scheduleId);
        }

        return run;
    }
}
