using System.Text.Json;
using FluentValidation;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.Runs;
using Loupe.Application.SavedQueries;
using Loupe.Domain.Common;
using Loupe.Domain.Dashboards;
using Loupe.Domain.DataSources;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Runs;
using MediatR;

namespace Loupe.Application.Dashboards.Commands.RefreshDashboard;

/// <summary>
/// Queues a run of every distinct question of a dashboard (a query with the values its tiles give
/// it, from the dashboard's parameter values) in one transaction: all are queued or none (the
/// organization's queue cap counts them together). Skips a question whose latest result finished
/// within <see cref="MaxAgeSeconds"/>, one already queued or running, one whose query is archived and
/// one whose values cannot be bound; says which and why.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record RefreshDashboardCommand(Guid Id, IReadOnlyDictionary<string, JsonElement>? Parameters = null, int? MaxAgeSeconds = null)
    : IRequest<DashboardRefreshDto>
{
    /// <summary>Never the parameter values.</summary>
    public override string ToString() => $"RefreshDashboardCommand {{ Id = {Id}, MaxAgeSeconds = {MaxAgeSeconds} }}";
}

/// <summary>The body of POST /dashboards/{id}/refresh (optional).</summary>
/// <param name="Parameters">Values of the dashboard's parameters by name, as a run's parameters are written; a parameter left out takes its default.</param>
/// <param name="MaxAgeSeconds">Skip a question whose latest result finished at most this many seconds ago (0–2678400).</param>
public sealed record RefreshDashboardRequest(Dictionary<string, JsonElement>? Parameters = null, int? MaxAgeSeconds = null)
{
    public RefreshDashboardCommand ToCommand(Guid id) => new(id, Parameters, MaxAgeSeconds);

    /// <summary>Never the parameter values.</summary>
    public override string ToString() => $"RefreshDashboardRequest {{ MaxAgeSeconds = {MaxAgeSeconds} }}";
}

/// <summary>What a refresh queued, and what it skipped.</summary>
public sealed record DashboardRefreshDto(IReadOnlyList<QueuedRefreshDto> Queued, IReadOnlyList<SkippedRefreshDto> Skipped);

/// <summary>A run queued for a query and the tiles that show its result.</summary>
public sealed record QueuedRefreshDto(Guid QueryId, Guid RunId, IReadOnlyList<string> TileIds);

/// <summary>Why a refresh did not queue a run of a query for these tiles.</summary>
/// <param name="RunId">The fresh result's run (<c>fresh</c>) or the run already waiting or running (<c>running</c>).</param>
public sealed record SkippedRefreshDto(Guid QueryId, IReadOnlyList<string> TileIds, RefreshSkipReason Reason, Guid? RunId, string Message);

/// <summary>Why a question of a dashboard was not run again.</summary>
public enum RefreshSkipReason
{
    /// <summary>Its latest result finished within max_age_seconds.</summary>
    Fresh,

    /// <summary>A run of it is queued, running or waiting to be retried.</summary>
    Running,

    /// <summary>The query is archived.</summary>
    QueryArchived,

    /// <summary>The query's parameters cannot be bound with the values the tile is given.</summary>
    ParametersInvalid,
}

internal sealed class RefreshDashboardCommandValidator : AbstractValidator<RefreshDashboardCommand>
{
    public RefreshDashboardCommandValidator()
    {
        RuleFor(c => c.MaxAgeSeconds).InclusiveBetween(0, QueryRun.MaxCacheAgeSeconds).WithMessage(RunErrors.MaxAgeOutOfRange.Message)
            .When(c => c.MaxAgeSeconds is not null);
    }
}

internal sealed class RefreshDashboardCommandHandler(IReadStore store, IQueryExecutor executor, RunQueue queue, TimeProvider clock)
    : IRequestHandler<RefreshDashboardCommand, DashboardRefreshDto>
{
    private static readonly RunStatus[] InFlight = [RunStatus.Queued, RunStatus.Running, RunStatus.Retrying];

    public async Task<DashboardRefreshDto> Handle(RefreshDashboardCommand request, CancellationToken cancellationToken)
    {
        var dashboard = await executor.FirstOrDefaultAsync(store.Query<Dashboard>().Where(d => d.Id == request.Id), cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Dashboard", request.Id);
        dashboard.EnsureActive();

        var values = DashboardParameterValues.Resolve(dashboard.Parameters, ParameterJson.ToValues(request.Parameters), ParameterErrors.ValueField);
        var sources = await DashboardTileQueries.SourcesAsync(store, executor, dashboard.VisualizationIds, cancellationToken).ConfigureAwait(false);
        var tiles = DashboardTileQueries.Bind(dashboard, values, sources);

        var skipped = new List<SkippedRefreshDto>();
        foreach (var group in tiles.Where(t => t.Bound is null).GroupBy(t => t.Source.Query.Id))
        {
            var problem = group.First().Problems[0];
            skipped.Add(new SkippedRefreshDto(group.Key, TileIds(group), RefreshSkipReason.ParametersInvalid, null, problem.Message));
        }

        var questions = tiles.Where(t => t.Bound is not null).GroupBy(t => (t.Source.Query.Id, CacheKey: t.CacheKey!)).ToList();
        foreach (var archived in questions.Where(q => q.First().Source.Query.IsArchived))
        {
            skipped.Add(new SkippedRefreshDto(archived.Key.Id, TileIds(archived), RefreshSkipReason.QueryArchived, null, "The query is archived."));
        }

        questions = [.. questions.Where(q => !q.First().Source.Query.IsArchived)];
        var running = await InFlightAsync(questions.Select(q => q.First()).ToList(), cancellationToken).ConfigureAwait(false);
        var fresh = request.MaxAgeSeconds is { } maxAge
            ? (await DashboardTileQueries.LatestResultsAsync(store, executor, [.. questions.Select(q => q.First())], cancellationToken).ConfigureAwait(false))
                .Where(r => r.Value.FinishedAt >= clock.GetUtcNow().AddSeconds(-maxAge))
                .ToDictionary(r => r.Key, r => r.Value)
            : [];

        var toRun = new List<IGrouping<(Guid Id, string CacheKey), TileQuery>>();
        foreach (var question in questions)
        {
            if (running.TryGetValue(question.Key, out var runId))
            {
                skipped.Add(new SkippedRefreshDto(question.Key.Id, TileIds(question), RefreshSkipReason.Running, runId, "A run of this query with these values is already queued or running."));
            }
            else if (fresh.TryGetValue(question.Key, out var result))
            {
                skipped.Add(new SkippedRefreshDto(question.Key.Id, TileIds(question), RefreshSkipReason.Fresh, result.RunId, "Its latest result is fresher than max_age_seconds."));
            }
            else
            {
                toRun.Add(question);
            }
        }

        Guid[] dataSourceIds = [.. toRun.Select(q => q.First().Source.Query.DataSourceId).Distinct()];
        var dataSources = dataSourceIds.Length == 0
            ? []
            : (await executor.ToListAsync(store.Query<DataSource>().Where(d => dataSourceIds.Contains(d.Id)), cancellationToken).ConfigureAwait(false))
                .ToDictionary(d => d.Id);
        var requests = toRun.Select(q =>
        {
            var query = q.First().Source.Query;
            var dataSource = dataSources.GetValueOrDefault(query.DataSourceId) ?? throw new DomainException(SavedQueryErrors.DataSourceGone);
            return new RunQueue.Request(dataSource, query.Id, q.First().Bound!, null, null, SavedTimeoutSeconds: query.TimeoutSeconds);
        }).ToList();
        var queued = await queue.QueueManyAsync(requests, cancellationToken).ConfigureAwait(false);
        return new DashboardRefreshDto([.. toRun.Select((q, i) => new QueuedRefreshDto(q.Key.Id, queued[i].Id, TileIds(q)))], skipped);
    }

    /// <summary>The run of each question that is queued, running or waiting to be retried, if any (one statement).</summary>
    private async Task<Dictionary<(Guid, string), Guid>> InFlightAsync(IReadOnlyList<TileQuery> questions, CancellationToken ct)
    {
        string[] keys = [.. questions.Select(q => q.CacheKey!).Distinct(StringComparer.Ordinal)];
        if (keys.Length == 0)
        {
            return [];
        }

        Guid?[] queryIds = [.. questions.Select(q => (Guid?)q.Source.Query.Id).Distinct()];
        var runs = await executor.ToListAsync(
            store.Query<QueryRun>()
                .Where(r => keys.Contains(r.CacheKey) && queryIds.Contains(r.SavedQueryId) && InFlight.Contains(r.Status))
                .Select(r => new { r.Id, r.SavedQueryId, r.CacheKey }),
            ct).ConfigureAwait(false);
        var byQuestion = new Dictionary<(Guid, string), Guid>();
        foreach (var run in runs)
        {
            byQuestion.TryAdd((run.SavedQueryId!.Value, run.CacheKey), run.Id);
        }

        return byQuestion;
    }

    private static string[] TileIds(IEnumerable<TileQuery> tiles) => [.. tiles.Select(t => t.Tile.Id)];
}
