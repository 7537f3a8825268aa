using Loupe.Application.Common.Jobs;

namespace Loupe.Application.AdminJobs;

/// <summary>The engine's nodes at one moment.</summary>
public sealed record JobServersDto(DateTimeOffset At, IReadOnlyList<JobServerDto> Data);

/// <summary>One node of the job engine: an API or worker process that claims and runs jobs.</summary>
/// <param name="Node">Its name (<c>Jobs:NodeId</c>), as running jobs and their attempts name it.</param>
/// <param name="Host">api or worker: which host runs it.</param>
/// <param name="Machine">The machine's name.</param>
/// <param name="HeartbeatAgeSeconds">Since its last beat (every sweep, 5 s by default).</param>
/// <param name="Slots">How many jobs it runs at once (<c>Jobs:Concurrency</c>).</param>
/// <param name="SlotsUsed">How many it ran at its last beat.</param>
/// <param name="Queues">The queues it claims from.</param>
/// <param name="Lost">It stopped beating (<c>Jobs:NodeLostSeconds</c>) without leaving: it died or lost the database. Shown until forgotten (<c>Jobs:NodeForgetSeconds</c>).</param>
public sealed record JobServerDto(
    string Node,
    EngineNodeHost Host,
    string Machine,
    int ProcessId,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt,
    double HeartbeatAgeSeconds,
    int Slots,
    int SlotsUsed,
    IReadOnlyList<string> Queues,
    bool Lost);

/// <summary>Every queue the engine knows at one moment, by name.</summary>
public sealed record JobQueuesDto(DateTimeOffset At, IReadOnlyList<JobQueueDto> Data);

/// <summary>One queue: what waits in it, whether it is paused, and which nodes claim from it.</summary>
/// <param name="Depth">Due jobs waiting in it, every priority.</param>
/// <param name="Priorities">Due jobs waiting per priority (only priorities with some).</param>
/// <param name="OldestWaitSeconds">How long its oldest due job has waited; none when nothing waits.</param>
/// <param name="Paused">No node claims from it until it is resumed (running jobs go on).</param>
/// <param name="PausedAt">Since when it is paused.</param>
/// <param name="Nodes">The nodes that claim from it (lost ones left out).</param>
/// <param name="NotDue">Jobs waiting in it that are not due yet: scheduled for later, or retrying after a back-off.</param>
/// <param name="NextDueAt">When the first of those falls due; none when there are none.</param>
public sealed record JobQueueDto(
    string Queue,
    long Depth,
    IReadOnlyList<JobQueuePriorityDto> Priorities,
    double? OldestWaitSeconds,
    bool Paused,
    DateTimeOffset? PausedAt,
    IReadOnlyList<string> Nodes,
    long NotDue,
    DateTimeOffset? NextDueAt);

/// <param name="OldestRunAt">When the oldest due job of this priority became due.</param>
public sealed record JobQueuePriorityDto(JobPriority Priority, long Depth, DateTimeOffset OldestRunAt);

/// <summary>What pausing or resuming a queue did.</summary>
/// <param name="Outcome">paused, already_paused, resumed or not_paused.</param>
/// <param name="PausedAt">Since when it is paused (kept from the first pause); none once resumed.</param>
public sealed record JobQueueActionResultDto(string Queue, string Outcome, DateTimeOffset? PausedAt);
