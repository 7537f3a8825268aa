using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// The attempts this node runs, and the cancellations that arrived for jobs it does not (yet) hold.
/// Shared by the claim loop (which adds), the runner (which removes), the heartbeat, the sweeper and
/// the drain on shutdown.
/// </summary>
internal sealed class HeldJobs(TimeProvider time, ILogger logger)
{
    // Keyed by job and attempt, not by job alone: a node whose lease ran out may claim the same job
    // again while the handler of its earlier attempt is still stopping. Within one engine, attempts of
    // a job only grow while it claims (a release gives one back only once claiming has stopped).
    private readonly ConcurrentDictionary<(Guid JobId, int Attempt), HeldJob> _held = new();

    // Cancellations that arrived for jobs not (yet) held here: a claim may be on its way back.
    private readonly ConcurrentDictionary<Guid, long> _earlyCancels = new();

    public int Count => _held.Count;

    public bool IsEmpty => _held.IsEmpty;

    /// <summary>
    /// The node's free slots, and how many of them any organization may take: the others are the free
    /// part of the <c>Jobs:ReservedShare</c> kept for organizations with nothing running (ADR 0030).
    /// </summary>
    public (int Free, int Open) FreeSlots(int concurrency, int reservedSlots)
    {
        var held = 0;
        var heldOpen = 0;
        foreach (var pair in _held)
        {
            held++;
            if (!pair.Value.Job.Reserved)
            {
                heldOpen++;
            }
        }

        var free = Math.Max(0, concurrency - held);
        var open = Math.Min(free, Math.Max(0, concurrency - reservedSlots - heldOpen));
        return (free, open);
    }

    /// <summary>Holds a claimed attempt, stopping earlier attempts of its job and honouring a cancellation that came first.</summary>
    public HeldJob Hold(ClaimedJob job)
    {
        // Claimed again while an earlier attempt still runs here: that attempt's lease expired and the
        // job was given back, so it has lost the job, whatever a heartbeat for the job id now answers.
        foreach (var earlier in AttemptsOf(job.Id))
        {
            if (!earlier.IsFinishing)
            {
                logger.LogLeaseLost(earlier.Job.Kind, earlier.Job.Id, earlier.Job.Attempt);
                earlier.Stop(StopReason.LeaseLost);
            }
        }

        var held = new HeldJob(job);
        _held[(job.Id, job.Attempt)] = held;
        if (_earlyCancels.TryRemove(job.Id, out _))
        {
            held.Stop(StopReason.Cancelled);
        }

        return held;
    }

    /// <summary>Lets go of an attempt that has ended.</summary>
    public void Remove(HeldJob held) => _held.TryRemove((held.Job.Id, held.Job.Attempt), out _);

    /// <summary>The attempts held now: one added meanwhile is not in it.</summary>
    public HeldJob[] Snapshot() => _held.Select(pair => pair.Value).ToArray();

    /// <summary>Stops every attempt of the job held here, or remembers the request for a claim on its way back.</summary>
    public void Cancel(Guid jobId)
    {
        var found = false;
        foreach (var held in AttemptsOf(jobId))
        {
            found = true;
            logger.LogCancelRequested(held.Job.Kind, jobId, held.Job.Attempt);
            held.Stop(StopReason.Cancelled);
        }

        if (!found)
        {
            _earlyCancels[jobId] = time.GetTimestamp();
        }
    }

    /// <summary>Forgets cancellations older than a lease: no claim of theirs can still be on its way.</summary>
    public void PruneEarlyCancels(TimeSpan lease)
    {
        foreach (var (id, since) in _earlyCancels)
        {
            if (time.GetElapsedTime(since) > lease)
            {
                _earlyCancels.TryRemove(id, out _);
            }
        }
    }

    /// <summary>The attempts of the job this node runs: one, or more while earlier ones are stopping.</summary>
    private IEnumerable<HeldJob> AttemptsOf(Guid jobId)
    {
        foreach (var ((id, _), held) in _held)
        {
            if (id == jobId)
            {
                yield return held;
            }
        }
    }
}
