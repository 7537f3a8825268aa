using System.Globalization;
using System.Text.RegularExpressions;
using Loupe.Application.Common.Jobs;
using Loupe.Infrastructure.Persistence.Configurations;

namespace Loupe.Infrastructure.Jobs;

/// <summary>The <c>Jobs</c> section: how this node runs the job engine (ADR 0021, docs/configuration.md).</summary>
public sealed partial class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Whether <c>Loupe.Api</c> runs the engine in its own process (<c>Jobs:RunInApi</c>); the worker always does.</summary>
    public bool RunInApi { get; set; }

    /// <summary>This node's name in leases and logs; unique per process. Default: host name, process id and a random suffix.</summary>
    public string? NodeId { get; set; }

    /// <summary>Jobs this node runs at once (1–256).</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>Jobs one organization may have running at once across all nodes (1–1000).</summary>
    public int MaxRunningPerOrganization { get; set; } = 5;

    /// <summary>
    /// The share of this node's slots (0–0.9) kept for organizations that have nothing running: two busy
    /// organizations cannot take them, so a newcomer's run starts at once (ADR 0030).
    /// </summary>
    public double ReservedShare { get; set; } = 0.25;

    /// <summary>How long a claim holds a job without a heartbeat (5–3600 s); a dead node's jobs come back after it.</summary>
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>How often a node renews its leases (1 s to a third of the lease).</summary>
    public int HeartbeatSeconds { get; set; } = 10;

    /// <summary>How often a node looks for expired leases (1–300 s).</summary>
    public int SweepSeconds { get; set; } = 5;

    /// <summary>How often a node looks for due jobs when no notification woke it (50–60000 ms).</summary>
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>How long a stopping node lets running jobs finish before it cancels and hands them back (0–300 s).</summary>
    public int ShutdownGraceSeconds { get; set; } = 25;

    /// <summary>The first retry's delay (0.01–86400 s); each next one doubles, with jitter.</summary>
    public double RetryBaseSeconds { get; set; } = 30;

    /// <summary>The longest retry delay (at least the base, at most 7 days).</summary>
    public double RetryMaxSeconds { get; set; } = 3600;

    /// <summary>
    /// How long a node may go without a beat (it beats with every sweep) before the dashboard shows it as
    /// lost (1–86400 s; raised to twice <see cref="SweepSeconds"/> when lower).
    /// </summary>
    public int NodeLostSeconds { get; set; } = 30;

    /// <summary>
    /// How long a lost node stays in the registry before the other nodes delete it (more than
    /// <see cref="NodeLostSeconds"/>, at most 30 days; raised to the effective lost time plus a sweep when lower).
    /// </summary>
    public int NodeForgetSeconds { get; set; } = 600;

    /// <summary>How long finished jobs are kept (<c>Jobs:Retention</c>).</summary>
    public JobRetentionOptions Retention { get; } = new();

    /// <summary>The queues this node claims from; none means <c>default</c> only.</summary>
    public IList<string> Queues { get; } = [];

    internal IReadOnlyList<string> EffectiveQueues => Queues.Count == 0 ? [JobRequest.DefaultQueue] : [.. Queues.Distinct(StringComparer.Ordinal)];

    internal string EffectiveNodeId { get; } = DefaultNodeId();

    internal string Node => string.IsNullOrWhiteSpace(NodeId) ? EffectiveNodeId : NodeId;

    /// <summary>The node's reserved slots: <see cref="ReservedShare"/> of <see cref="Concurrency"/>, rounded up, always leaving one open slot.</summary>
    internal int ReservedSlots => Concurrency <= 1 ? 0 : Math.Min(Concurrency - 1, (int)Math.Ceiling((Concurrency * ReservedShare) - 1e-9));

    /// <summary>A node beats with each sweep: one is lost only after missing at least two beats.</summary>
    internal int EffectiveNodeLostSeconds => Math.Max(NodeLostSeconds, SweepSeconds * 2);

    internal int EffectiveNodeForgetSeconds => Math.Max(NodeForgetSeconds, EffectiveNodeLostSeconds + SweepSeconds);

    internal TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    internal TimeSpan Heartbeat => TimeSpan.FromSeconds(HeartbeatSeconds);

    internal TimeSpan Sweep => TimeSpan.FromSeconds(SweepSeconds);

    internal TimeSpan Poll => TimeSpan.FromMilliseconds(PollMilliseconds);

    internal TimeSpan ShutdownGrace => TimeSpan.FromSeconds(ShutdownGraceSeconds);

    internal IEnumerable<string> Problems()
    {
        if (NodeId is not null && (NodeId.Length is 0 or > JobConfiguration.NodeMaxLength || !NodeName().IsMatch(NodeId)))
        {
            yield return "Jobs:NodeId must be 1–200 letters, digits, '.', '-', '_' or ':'.";
        }

        if (Concurrency is < 1 or > 256)
        {
            yield return "Jobs:Concurrency must be between 1 and 256.";
        }

        if (MaxRunningPerOrganization is < 1 or > 1000)
        {
            yield return "Jobs:MaxRunningPerOrganization must be between 1 and 1000.";
        }

        if (!(ReservedShare is >= 0 and <= 0.9))
        {
            yield return "Jobs:ReservedShare must be between 0 and 0.9.";
        }

        if (LeaseSeconds is < 5 or > 3600)
        {
            yield return "Jobs:LeaseSeconds must be between 5 and 3600.";
        }

        if (HeartbeatSeconds < 1 || HeartbeatSeconds * 3 > LeaseSeconds)
        {
            yield return "Jobs:HeartbeatSeconds must be at least 1 and at most a third of Jobs:LeaseSeconds, so a lease survives a missed heartbeat.";
        }

        if (SweepSeconds is < 1 or > 300)
        {
            yield return "Jobs:SweepSeconds must be between 1 and 300.";
        }

        if (PollMilliseconds is < 50 or > 60_000)
        {
            yield return "Jobs:PollMilliseconds must be between 50 and 60000.";
        }

        if (ShutdownGraceSeconds is < 0 or > 300)
        {
            yield return "Jobs:ShutdownGraceSeconds must be between 0 and 300.";
        }

        if (!(RetryBaseSeconds is >= 0.01 and <= 86_400))
        {
            yield return "Jobs:RetryBaseSeconds must be between 0.01 and 86400.";
        }

        if (!(RetryMaxSeconds >= RetryBaseSeconds && RetryMaxSeconds <= 604_800))
        {
            yield return "Jobs:RetryMaxSeconds must be at least Jobs:RetryBaseSeconds and at most 604800 (7 days).";
        }

        if (NodeLostSeconds is < 1 or > 86_400)
        {
            yield return "Jobs:NodeLostSeconds must be between 1 and 86400.";
        }

        if (NodeForgetSeconds <= NodeLostSeconds || NodeForgetSeconds > 2_592_000)
        {
            yield return "Jobs:NodeForgetSeconds must be more than Jobs:NodeLostSeconds and at most 2592000 (30 days).";
        }

        foreach (var problem in Retention.Problems())
        {
            yield return problem;
        }

        foreach (var queue in Queues.Where(q => !JobRequests.IsQueueName(q)))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"Jobs:Queues has '{queue}'; a queue name is 1–64 lower-case letters, digits, '.', '-' or '_'.");
        }
    }

    private static string DefaultNodeId() =>
        string.Create(CultureInfo.InvariantCulture, $"{MachineName()}:{Environment.ProcessId}:{Random.Shared.Next(0x10000):x4}");

    internal static string MachineName()
    {
        var name = new string([.. Environment.MachineName.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')]);
        return name.Length is > 0 and <= 100 ? name : "node";
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex NodeName();
}

/// <summary>The <c>Jobs:Retention</c> section: finished jobs (and their attempts) older than this are deleted.</summary>
public sealed class JobRetentionOptions
{
    /// <summary>Days a succeeded job is kept after it finished (1–3650).</summary>
    public int SucceededDays { get; set; } = 7;

    /// <summary>Days a failed, dead-lettered or cancelled job is kept after it finished (1–3650).</summary>
    public int FailedDays { get; set; } = 30;

    /// <summary>How often a node deletes old jobs (minutes, 0–1440; 0: never, jobs are kept).</summary>
    public int SweepMinutes { get; set; } = 60;

    /// <summary>Jobs deleted per statement (100–10000); a sweep repeats until fewer are left.</summary>
    public int BatchSize { get; set; } = 1000;

    internal IEnumerable<string> Problems()
    {
        if (SucceededDays is < 1 or > 3650)
        {
            yield return "Jobs:Retention:SucceededDays must be between 1 and 3650.";
        }

        if (FailedDays is < 1 or > 3650)
        {
            yield return "Jobs:Retention:FailedDays must be between 1 and 3650.";
        }

        if (SweepMinutes is < 0 or > 1440)
        {
            yield return "Jobs:Retention:SweepMinutes must be between 0 (never) and 1440.";
        }

        if (BatchSize is < 100 or > 10_000)
        {
            yield return "Jobs:Retention:BatchSize must be between 100 and 10000.";
        }
    }
}
