using FluentValidation;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Patching;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Organizations.Commands.UpdateOrganization;

/// <summary>Renames the organization or changes its default time zone; fields left out stay as they are.</summary>
[Authorize(MinimumRole = Role.Admin, SignedInOnly = true)]
public sealed record UpdateOrganizationCommand(string? Name = null, string? TimeZone = null, IReadOnlyList<string>? RequiredResets = null) : IRequest<Unit>;

/// <summary>The body of PATCH /organization, a JSON Merge Patch: <c>time_zone: null</c> goes back to UTC; <c>name</c> cannot be reset.</summary>
public sealed class UpdateOrganizationRequest : MergePatchBody
{
    public string? Name { get; init => field = Sent(value); }

    public string? TimeZone { get; init => field = Sent(value); }

    public UpdateOrganizationCommand ToCommand() =>
        new(Name, IsReset(nameof(TimeZone), TimeZone) ? Organization.DefaultTimeZone : TimeZone, RequiredReset(string.Empty, (nameof(Name), Name)));
}

internal sealed class UpdateOrganizationCommandValidator : AbstractValidator<UpdateOrganizationCommand>
{
    public UpdateOrganizationCommandValidator()
    {
        this.RefuseRequiredResets(c => c.RequiredResets);
        RuleFor(c => c.Name).MaximumLength(Organization.NameMaxLength);
        RuleFor(c => c.TimeZone).MaximumLength(64);
        RuleFor(c => c).Must(c => c.Name is not null || c.TimeZone is not null).WithName("body").WithMessage("Give a name or a time_zone to change.");
    }
}

internal sealed class UpdateOrganizationCommandHandler(
    ITenantScope tenant,
    IRepository<Organization> organizations,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<UpdateOrganizationCommand, Unit>
{
    public async Task<Unit> Handle(UpdateOrganizationCommand request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var organization = await organizations.FindAsync(tenant.RequiredOrganizationId(), cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Organization", tenant.RequiredOrganizationId());
        if (request.Name is not null)
        {
            organization.Rename(request.Name, now);
        }

        if (request.TimeZone is not null)
        {
            organization.ChangeTimeZone(request.TimeZone, now);
        }

        audit.Record(AuditActions.OrganizationUpdated, new AuditTarget("organization", organization.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }
}
