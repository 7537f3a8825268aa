using System.Text.Json;
using FluentValidation;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Domain.Queries;
using Loupe.Domain.Runs;
using MediatR;

namespace Loupe.Application.Runs.Commands.RunSavedQuery;

/// <summary>
/// Runs a saved query with parameter values (everyone, viewers included: refreshing is reading). The
/// values are validated against the query's definitions and sent as real database parameters; with
/// <see cref="MaxAgeSeconds"/> a fresh enough earlier result of the same values is answered instead.
/// <see cref="TimeoutSeconds"/> replaces the query's own timeout for this run only, up to the data
/// source's timeout; it does not take part in the cache key (a result does not depend on how long it
/// was allowed to take; ADR 0023).
/// </summary>
[Authorize]
public sealed record RunSavedQueryCommand(
    Guid QueryId, IReadOnlyDictionary<string, JsonElement>? Parameters = null, int? MaxAgeSeconds = null, int? TimeoutSeconds = null) : IRequest<RunDto>
{
    /// <summary>Never the parameter values.</summary>
    public override string ToString() => $"RunSavedQueryCommand {{ QueryId = {QueryId} }}";
}

/// <summary>The body of POST /queries/{id}/runs.</summary>
public sealed record RunSavedQueryRequest(Dictionary<string, JsonElement>? Parameters = null, int? MaxAgeSeconds = null, int? TimeoutSeconds = null)
{
    public RunSavedQueryCommand ToCommand(Guid queryId) => new(queryId, Parameters, MaxAgeSeconds, TimeoutSeconds);

    /// <summary>Never the parameter values.</summary>
    public override string ToString() => $"RunSavedQueryRequest {{ MaxAgeSeconds = {MaxAgeSeconds}, TimeoutSeconds = {TimeoutSeconds} }}";
}

internal sealed class RunSavedQueryCommandValidator : AbstractValidator<RunSavedQueryCommand>
{
    public RunSavedQueryCommandValidator()
    {
        RuleFor(c => c.MaxAgeSeconds).InclusiveBetween(0, QueryRun.MaxCacheAgeSeconds).WithMessage(RunErrors.MaxAgeOutOfRange.Message)
            .When(c => c.MaxAgeSeconds is not null);
    }
}

internal sealed class RunSavedQueryCommandHandler(
    IRepository<SavedQuery> queries,
    IRepository<DataSource> dataSources,
    RunQueue queue) : IRequestHandler<RunSavedQueryCommand, RunDto>
{
    public async Task<RunDto> Handle(RunSavedQueryCommand request, CancellationToken cancellationToken)
    {
        var query = await queries.FindAsync(request.QueryId, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Query", request.QueryId);
        if (query.IsArchived)
        {
            throw new DomainException(SavedQueryErrors.ArchivedCannotRun);
        }

        var dataSource = await dataSources.FindAsync(query.DataSourceId, cancellationToken).ConfigureAwait(false)
            ?? throw new DomainException(SavedQueryErrors.DataSourceGone);
        var bound = RunBinding.Bind(query.Sql, query.Parameters, request.Parameters);

        return await queue.QueueAsync(
            new RunQueue.Request(dataSource, query.Id, bound, request.TimeoutSeconds, request.MaxAgeSeconds, SavedTimeoutSeconds: query.TimeoutSeconds),
            cancellationToken).ConfigureAwait(false);
    }
}
