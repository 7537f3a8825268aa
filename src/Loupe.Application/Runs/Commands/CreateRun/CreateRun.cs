using FluentValidation;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.DataSources;
using Loupe.Domain.Organizations;
using Loupe.Domain.Runs;
using MediatR;

namespace Loupe.Application.Runs.Commands.CreateRun;

/// <summary>
/// Runs ad-hoc SQL on a data source in the background (editors and admins). With
/// <see cref="MaxAgeSeconds"/>, an earlier result of the same data source and SQL that finished at most
/// that long ago is answered instead (<c>from_cache: true</c>).
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record CreateRunCommand(Guid? DatasourceId, string? Sql, int? TimeoutSeconds = null, int? MaxAgeSeconds = null) : IRequest<RunDto>
{
    /// <summary>Never the SQL (it may hold literals a person typed).</summary>
    public override string ToString() => $"CreateRunCommand {{ DatasourceId = {DatasourceId} }}";
}

internal sealed class CreateRunCommandValidator : AbstractValidator<CreateRunCommand>
{
    public CreateRunCommandValidator()
    {
        RuleFor(c => c.DatasourceId).NotEmpty();
        RuleFor(c => c.Sql).NotEmpty().MaximumLength(QueryRun.SqlMaxLength);
        RuleFor(c => c.MaxAgeSeconds).InclusiveBetween(0, QueryRun.MaxCacheAgeSeconds).WithMessage(RunErrors.MaxAgeOutOfRange.Message)
            .When(c => c.MaxAgeSeconds is not null);
    }
}

internal sealed class CreateRunCommandHandler(IRepository<DataSource> dataSources, RunQueue queue) : IRequestHandler<CreateRunCommand, RunDto>
{
    public async Task<RunDto> Handle(CreateRunCommand request, CancellationToken cancellationToken)
    {
        var dataSource = await dataSources.FindAsync(request.DatasourceId!.Value, cancellationToken).ConfigureAwait(false)
            ?? throw new ValidationFailedException(new Dictionary<string, string[]> { ["datasource_id"] = ["No data source with this id exists in the organization."] });
        return await queue.QueueAsync(
            new RunQueue.Request(dataSource, null, request.Sql!, [], request.TimeoutSeconds, request.MaxAgeSeconds), cancellationToken).ConfigureAwait(false);
    }
}
