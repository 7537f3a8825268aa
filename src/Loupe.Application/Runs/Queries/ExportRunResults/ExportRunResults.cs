using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Results;
using Loupe.Application.Common.Security;
using Loupe.Application.Runs.Queries.GetRunResults;
using Loupe.Domain.Runs;
using MediatR;

namespace Loupe.Application.Runs.Queries.ExportRunResults;

/// <summary>A run's whole result as CSV (RFC 4180) or JSON, written to the response as it is read.</summary>
[Authorize]
public sealed record ExportRunResultsQuery(Guid Id, ResultFormat Format, ExportOptions? Options = null) : IRequest<RunExport>;

/// <summary>What to send: a file name and type, and a writer that streams the stored rows into the response.</summary>
public sealed record RunExport(string FileName, string ContentType, Func<Stream, CancellationToken, Task> WriteToAsync);

internal sealed class ExportRunResultsQueryHandler(ICurrentUser caller, IReadStore store, IQueryExecutor executor, IResultStore results)
    : IRequestHandler<ExportRunResultsQuery, RunExport>
{
    public async Task<RunExport> Handle(ExportRunResultsQuery request, CancellationToken cancellationToken)
    {
        var run = await RunResults.FindAsync(store.Query<QueryRun>().VisibleTo(caller), executor, request.Id, cancellationToken).ConfigureAwait(false);
        var attempt = run.ReadableResultAttempt();
        var (extension, contentType) = request.Format == ResultFormat.Csv ? ("csv", "text/csv; charset=utf-8") : ("json", "application/json; charset=utf-8");
        return new RunExport(
            $"run-{run.Id}.{extension}",
            contentType,
            async (destination, ct) =>
            {
                if (!await results.ExportAsync(run.Id, attempt, request.Format, request.Options ?? ExportOptions.Default, destination, ct).ConfigureAwait(false))
                {
                    throw RunResults.Missing();
                }
            });
    }
}
