using Loupe.Application.Common.Concurrency;
using Loupe.Domain.Runs;
using Mapster;

namespace Loupe.Application.Runs;

/// <summary>
/// How a run is answered, in lists, in detail and after a command. Never its SQL, positional values
/// or cache key: <see cref="RunDto"/> has no such member, so projections do not read those columns
/// (the parameters by name are shown: whoever may see the run may see what it ran with).
/// The status goes out by its wire name (<c>timed_out</c>); the duration and whether a result can
/// be read come from the domain's own functions, fed with just the columns they need.
/// </summary>
internal sealed class RunMappings : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        config.NewConfig<RunError, RunErrorDto>();
        config.NewConfig<QueryRun, RunDto>()
            .Map(d => d.DatasourceId, s => s.DataSourceId)
            .Map(d => d.RequesterId, s => s.RequestedBy)
            .Map(d => d.Status, s => s.Status.ToName())
            .Map(d => d.DurationMs, s => QueryRun.DurationBetween(s.StartedAt, s.FinishedAt))
            .Map(d => d.HasResult, s => QueryRun.HasReadableResult(s.Status, s.ResultAttempt, s.ResultExpired))
            .Map(d => d.FromCache, _ => false)
            .Map(d => d.StoredParameters, s => s.Parameters)
            .Ignore(d => d.QueuePosition)
            .Ignore(d => d.NextAttemptAt)
            .Ignore(d => d.Parameters!);
        config.NewConfig<QueryRun, Versioned<RunDto>>()
            .Map(d => d.Value, s => s)
            .Map(d => d.RowVersion, s => s.RowVersion);
    }
}
