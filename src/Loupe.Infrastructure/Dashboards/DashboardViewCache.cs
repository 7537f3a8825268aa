using System.Collections.Concurrent;
using Loupe.Application.Dashboards;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Loupe.Infrastructure.Dashboards;

/// <summary>
/// Dashboard answers of this process in a bounded <see cref="MemoryCache"/> (sized by their bytes,
/// <c>Dashboards:CacheMegabytes</c>; unused ones leave after <c>Dashboards:CacheMinutes</c>). Each
/// entry depends on one change token per id it was built from (its dashboard, visualizations and
/// queries); <see cref="Changed(Guid)"/> cancels an id's token, which removes every entry built from it.
/// The changes come from <see cref="DashboardChangeListener"/> (every process's, through PostgreSQL)
/// and from this process's own saves (<see cref="DashboardChangeInterceptor"/>, at once).
/// </summary>
/// <remarks>
/// Nothing is kept while changes cannot be heard (<see cref="Listening"/> false: the listener is not
/// connected, or this host runs none), and everything is dropped when the listener loses its
/// connection, as changes may have been missed meanwhile. An answer is kept only when no change was
/// announced between the start of its reading (<see cref="Begin"/>) and the moment its tokens are
/// taken; a change announced after that cancels a token the entry already holds.
/// </remarks>
internal sealed class DashboardViewCache : IDashboardViewCache, IDisposable
{
    private const int EntryOverheadBytes = 512;

    // Ids whose tokens are kept; entries that left for room or age leave theirs behind, so past this many all start again.
    private const int MaxTrackedIds = 200_000;

    private readonly MemoryCache? _entries;
    private readonly TimeSpan _unusedFor;
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _sources = new();
    private CancellationTokenSource _everything = new();
    private long _changes;
    private volatile bool _listening;

    public DashboardViewCache(IOptions<DashboardOptions> options)
    {
        var settings = options.Value;
        _unusedFor = TimeSpan.FromMinutes(settings.CacheMinutes);
        _entries = settings.CacheMegabytes == 0
            ? null
            : new MemoryCache(new MemoryCacheOptions { SizeLimit = (long)settings.CacheMegabytes << 20, CompactionPercentage = 0.25 });
    }

    /// <summary>Whether changes are being heard, so that answers may be kept.</summary>
    public bool Listening => _listening && _entries is not null;

    /// <summary>How many answers are kept now.</summary>
    public long Count => _entries?.Count ?? 0;

    public bool TryGet(DashboardViewKey key, out DashboardView view)
    {
        view = null!;
        return _listening && _entries is not null && _entries.TryGetValue(key, out view!);
    }

    public DashboardCacheTicket Begin() => new(Interlocked.Read(ref _changes), Listening);

    public void Keep(DashboardCacheTicket ticket, DashboardViewKey key, DashboardView view, DashboardDependencies dependencies)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(dependencies);
        if (!ticket.Live || !Listening)
        {
            return;
        }

        if (_sources.Count > MaxTrackedIds)
        {
            ChangedAll();
            return;
        }

        var tokens = new List<CancellationToken>(2 + dependencies.VisualizationIds.Count + dependencies.QueryIds.Count)
        {
            Volatile.Read(ref _everything).Token,
            TokenOf(dependencies.DashboardId),
        };
        tokens.AddRange(dependencies.VisualizationIds.Select(TokenOf));
        tokens.AddRange(dependencies.QueryIds.Select(TokenOf));

        // A change announced since the reading started may not be in the answer: serve it, keep it not.
        if (Interlocked.Read(ref _changes) != ticket.Changes)
        {
            return;
        }

        using var entry = _entries!.CreateEntry(key);
        entry.Value = view;
        entry.Size = view.Json.Length + EntryOverheadBytes;
        entry.SlidingExpiration = _unusedFor;
        foreach (var token in tokens)
        {
            entry.AddExpirationToken(new CancellationChangeToken(token));
        }
    }

    /// <summary>The dashboard, visualization or query <paramref name="id"/> changed (or a query has a newer result): every answer built from it goes.</summary>
    public void Changed(Guid id)
    {
        Interlocked.Increment(ref _changes);
        // Not disposed: an answer being kept may be registering on its token at this moment (a source without a timer holds nothing to free).
        if (_sources.TryRemove(id, out var source))
        {
            source.Cancel();
        }
    }

    /// <summary>Anything may have changed: every answer goes.</summary>
    public void ChangedAll()
    {
        Interlocked.Increment(ref _changes);
        Interlocked.Exchange(ref _everything, new CancellationTokenSource()).Cancel();
        foreach (var id in _sources.Keys)
        {
            _sources.TryRemove(id, out _);
        }
    }

    /// <summary>The listener heard from PostgreSQL that it listens (true), or lost its connection (false: everything goes).</summary>
    public void SetListening(bool listening)
    {
        if (!listening)
        {
            _listening = false;
            ChangedAll();
            return;
        }

        ChangedAll();
        _listening = true;
    }

    public void Dispose()
    {
        _entries?.Dispose();
        _everything.Dispose();
    }

    private CancellationToken TokenOf(Guid id) => _sources.GetOrAdd(id, static _ => new CancellationTokenSource()).Token;
}
