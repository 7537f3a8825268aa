using Loupe.Application.AdminJobs.Queries.ListRecurringJobs;
using Loupe.Application.Common.Jobs;

namespace Loupe.Application.Tests.AdminJobs.Queries.ListRecurringJobs;

/// <summary>How a system job is listed: its interval in words, its state, and the estimate of when it is due next.</summary>
public sealed class SystemJobListingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, "never")]
    [InlineData(1, "every minute")]
    [InlineData(15, "every 15 minutes")]
    [InlineData(60, "every hour")]
    [InlineData(120, "every 2 hours")]
    [InlineData(90, "every 90 minutes")]
    [InlineData(1440, "every 24 hours")]
    public void TheInterval_IsSaidInWords(int minutes, string expected) =>
        ListRecurringJobsQueryHandler.IntervalText(minutes == 0 ? null : TimeSpan.FromMinutes(minutes)).ShouldBe(expected);

    [Fact]
    public async Task TheNextDueTime_IsTheWaitingJobs_ElseTheLatestQueueTimePlusTheInterval_AndNoneWhilePausedOrOff()
    {
        var jobs = new FakeRecurringJobs(
            [
                new("waits", TimeSpan.FromMinutes(15), "a job that waits"),
                new("ran", TimeSpan.FromMinutes(15), "a job that ran 5 minutes ago"),
                new("overdue", TimeSpan.FromMinutes(15), "a job that ran an hour ago"),
                new("never", TimeSpan.FromMinutes(15), "a job that never ran"),
                new("paused", TimeSpan.FromMinutes(15), "a paused job"),
                new("off", null, "a job whose timer is off"),
            ],
            new Dictionary<string, SystemJobPause> { ["paused"] = new(Now.AddMinutes(-1), null) },
            new Dictionary<string, LatestSystemJob>
            {
                ["waits"] = new(Guid.CreateVersion7(), JobStatus.Scheduled, Now.AddMinutes(-1), Now.AddMinutes(3), null, null),
                ["ran"] = new(Guid.CreateVersion7(), JobStatus.Succeeded, Now.AddMinutes(-5), Now.AddMinutes(-5), Now.AddMinutes(-4), null),
                ["overdue"] = new(Guid.CreateVersion7(), JobStatus.Failed, Now.AddHours(-1), Now.AddHours(-1), Now.AddHours(-1), "boom"),
                ["paused"] = new(Guid.CreateVersion7(), JobStatus.Succeeded, Now.AddMinutes(-5), Now.AddMinutes(-5), Now.AddMinutes(-4), null),
            });

        var listed = (await ListRecurringJobsQueryHandler.SystemJobsAsync(jobs, Now, TestContext.Current.CancellationToken)).ToDictionary(j => j.Kind);

        listed["waits"].NextDueAt.ShouldBe(Now.AddMinutes(3));
        listed["ran"].NextDueAt.ShouldBe(Now.AddMinutes(10));
        listed["overdue"].NextDueAt.ShouldBe(Now);
        listed["overdue"].LastError.ShouldBe("boom");
        listed["never"].NextDueAt.ShouldBe(Now);
        listed["never"].LastJobId.ShouldBeNull();
        listed["paused"].NextDueAt.ShouldBeNull();
        listed["paused"].State.ShouldBe("paused");
        listed["paused"].PausedAt.ShouldBe(Now.AddMinutes(-1));
        listed["off"].NextDueAt.ShouldBeNull();
        listed["off"].State.ShouldBe("off");
        listed["off"].IntervalSeconds.ShouldBeNull();
        listed.Values.Where(j => j.Kind is not ("paused" or "off")).ShouldAllBe(j => j.State == "active" && j.IntervalSeconds == 900);
    }

    private sealed class FakeRecurringJobs(
        IReadOnlyList<SystemJobDefinition> definitions,
        IReadOnlyDictionary<string, SystemJobPause> pauses,
        IReadOnlyDictionary<string, LatestSystemJob> latest) : IRecurringJobs
    {
        public IReadOnlyList<SystemJobDefinition> SystemJobs => definitions;

        public Task<IReadOnlyDictionary<string, SystemJobPause>> PausesAsync(CancellationToken ct) => Task.FromResult(pauses);

        public Task<IReadOnlyDictionary<string, LatestSystemJob>> LatestAsync(IReadOnlyList<string> kinds, CancellationToken ct) => Task.FromResult(latest);

        public Task<Guid?> EnqueueAsync(SystemJobDefinition job, CancellationToken ct) => throw new NotSupportedException();

        public Task<bool> PauseAsync(string kind, Guid? by, CancellationToken ct) => throw new NotSupportedException();

        public Task<bool> ResumeAsync(string kind, CancellationToken ct) => throw new NotSupportedException();

        public Task<IReadOnlyList<RecurringScheduleRow>> SchedulesAsync(Guid? after, int limit, CancellationToken ct) => throw new NotSupportedException();

        public Task<Guid?> ScheduleOrganizationAsync(Guid scheduleId, CancellationToken ct) => throw new NotSupportedException();
    }
}
