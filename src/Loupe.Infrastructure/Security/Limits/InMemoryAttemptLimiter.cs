using System.Collections.Concurrent;
using Loupe.Application.Common.Security;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Security.Limits;

/// <summary>
/// An exact sliding-window limiter kept in this process's memory: for each (scope, key) it remembers
/// the times of the last <c>PermitLimit</c> allowed attempts, and allows a new one only when the
/// oldest of them is a whole window old. Refused attempts are not counted, so hammering does not
/// push the next allowed attempt further away.
/// </summary>
/// <remarks>
/// <para>
/// The counts are per process: with several API instances behind a balancer each keeps its own,
/// and the effective limit is multiplied by the number of instances. A shared store (a PostgreSQL
/// table or Redis) behind <see cref="IAttemptLimiter"/> is the upgrade path.
/// </para>
/// <para>
/// Keys are compared case-insensitively (lower-cased), since they are mostly email addresses.
/// Memory is bounded: entries whose last attempt is older than their window are swept, and when
/// more than <c>RateLimits:MaxTrackedKeys</c> keys are live the least recently used are forgotten.
/// </para>
/// </remarks>
internal sealed class InMemoryAttemptLimiter : IAttemptLimiter
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(string Scope, string Key), Entry> _entries = new();
    private readonly Dictionary<string, (string Name, int PermitLimit, long WindowTicks, TimeSpan Window)> _scopes;
    private readonly TimeProvider _clock;
    private readonly int _maxTrackedKeys;
    private readonly Lock _sweepLock = new();
    private long _lastSweep;

    public InMemoryAttemptLimiter(IOptions<AttemptLimitOptions> options, TimeProvider clock)
    {
        _clock = clock;
        _maxTrackedKeys = options.Value.MaxTrackedKeys;
        _scopes = options.Value.Scopes.ToDictionary(
            scope => scope.Key,
            scope => (scope.Key, scope.Value.PermitLimit, ToTimestampTicks(scope.Value.Window), scope.Value.Window),
            StringComparer.OrdinalIgnoreCase);
        _lastSweep = clock.GetTimestamp();
    }

    internal int TrackedKeys => _entries.Count;

    public bool TryAcquire(string scope, string key, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(key);
        if (!_scopes.TryGetValue(scope, out var limit))
        {
            throw new ArgumentException($"No attempt limit is configured for scope '{scope}' (RateLimits:Scopes:{scope}).", nameof(scope));
        }

        var now = _clock.GetTimestamp();
        SweepIfDue(now);

        var id = (limit.Name, key.Trim().ToLowerInvariant());
        while (true)
        {
            var entry = _entries.GetOrAdd(id, static (_, permits) => new Entry(permits), limit.PermitLimit);
            lock (entry)
            {
                // Swept between the lookup and the lock: take the fresh entry instead.
                if (entry.Removed)
                {
                    continue;
                }

                if (entry.TryRecord(now, limit.WindowTicks, out var waitTicks))
                {
                    retryAfter = TimeSpan.Zero;
                    return true;
                }

                retryAfter = _clock.GetElapsedTime(0, Math.Max(1, waitTicks));
                if (retryAfter > limit.Window)
                {
                    retryAfter = limit.Window;
                }

                return false;
            }
        }
    }

    private long ToTimestampTicks(TimeSpan window) => (long)(window.TotalSeconds * _clock.TimestampFrequency);

    private void SweepIfDue(long now)
    {
        var due = _entries.Count > _maxTrackedKeys
            || now - Volatile.Read(ref _lastSweep) >= ToTimestampTicks(SweepInterval);
        if (!due || !_sweepLock.TryEnter())
        {
            return;
        }

        try
        {
            Volatile.Write(ref _lastSweep, now);
            foreach (var (id, entry) in _entries)
            {
                var window = _scopes[id.Scope].WindowTicks;
                if (now - entry.LastAttempt >= window)
                {
                    Remove(id, entry);
                }
            }

            if (_entries.Count > _maxTrackedKeys)
            {
                // Forget the least recently used down to 90 % of the cap, so the next sweep is not at once.
                var excess = _entries.Count - (_maxTrackedKeys * 9 / 10);
                foreach (var (id, entry) in _entries.OrderBy(pair => pair.Value.LastAttempt).Take(excess).ToList())
                {
                    Remove(id, entry);
                }
            }
        }
        finally
        {
            _sweepLock.Exit();
        }
    }

    private void Remove((string Scope, string Key) id, Entry entry)
    {
        lock (entry)
        {
            entry.Removed = true;
            _entries.TryRemove(new KeyValuePair<(string, string), Entry>(id, entry));
        }
    }

    /// <summary>A ring of the last allowed attempts' timestamps, oldest at <see cref="_next"/> once full.</summary>
    private sealed class Entry(int permitLimit)
    {
        private readonly long[] _allowed = new long[permitLimit];
        private int _count;
        private int _next;

        public bool Removed { get; set; }

        public long LastAttempt { get; private set; }

        public bool TryRecord(long now, long windowTicks, out long waitTicks)
        {
            waitTicks = 0;
            if (_count < _allowed.Length)
            {
                _allowed[_count++] = now;
                _next = _count % _allowed.Length;
                LastAttempt = now;
                return true;
            }

            var oldest = _allowed[_next];
            var elapsed = now - oldest;
            if (elapsed >= windowTicks)
            {
                _allowed[_next] = now;
                _next = (_next + 1) % _allowed.Length;
                LastAttempt = now;
                return true;
            }

            waitTicks = windowTicks - elapsed;
            return false;
        }
    }
}
