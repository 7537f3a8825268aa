using FluentValidation;
using Loupe.Application.AdminJobs.Commands.RetryAdminJob;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Security;
using Loupe.Domain.Common;
using MediatR;

namespace Loupe.Application.AdminJobs.Commands.RetryAdminJobs;

/// <summary>Retries each job of a selection; answers what happened to each, in the order given (instance admins; each retry audited).</summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record RetryAdminJobsCommand(IReadOnlyList<Guid> Ids) : IRequest<IReadOnlyList<JobActionResultDto>>;

internal sealed class RetryAdminJobsCommandValidator : AbstractValidator<RetryAdminJobsCommand>
{
    public RetryAdminJobsCommandValidator()
    {
        RuleFor(c => c.Ids).NotEmpty().WithMessage("ids: at least one job id.").OverridePropertyName("ids");
        RuleFor(c => c.Ids.Count).LessThanOrEqualTo(AdminJobErrors.RetrySelectionLimit)
            .WithMessage(AdminJobErrors.SelectionTooLarge.Message).When(c => c.Ids is not null).OverridePropertyName("ids");
    }
}

internal sealed class RetryAdminJobsCommandHandler(IMediator mediator) : IRequestHandler<RetryAdminJobsCommand, IReadOnlyList<JobActionResultDto>>
{
    public async Task<IReadOnlyList<JobActionResultDto>> Handle(RetryAdminJobsCommand request, CancellationToken cancellationToken)
    {
        var results = new List<JobActionResultDto>(request.Ids.Count);
        foreach (var id in request.Ids.Distinct())
        {
            try
            {
                results.Add(await mediator.Send(new RetryAdminJobCommand(id), cancellationToken).ConfigureAwait(false));
            }
            catch (NotFoundException)
            {
                results.Add(new JobActionResultDto(id, "not_found"));
            }
            catch (DomainException refused)
            {
                results.Add(new JobActionResultDto(id, refused.Error.Code));
            }
        }

        return results;
    }
}
