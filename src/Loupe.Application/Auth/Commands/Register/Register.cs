using FluentValidation;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.Organizations;
using Loupe.Domain.Audit;
using Loupe.Domain.Invitations;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.Auth.Commands.Register;

/// <summary>Creates an account: in a new organization (its admin), or in the organization of an invitation.</summary>
[AllowAnonymous]
public sealed record RegisterCommand(
    string? Email, string? Password, string? Name, string? OrganizationName = null, string? InvitationToken = null) : IRequest<AuthTokens>;

internal sealed class RegisterCommandValidator : AbstractValidator<RegisterCommand>
{
    public RegisterCommandValidator()
    {
        RuleFor(c => c.Email).Must(e => EmailAddress.TryParse(e, out _)).WithMessage(UserErrors.InvalidEmail.Message);
        RuleFor(c => c.Password).Custom((password, context) =>
        {
            var email = EmailAddress.TryParse(context.InstanceToValidate.Email, out var parsed) ? parsed : null;
            if (PasswordPolicy.Check(password, email) is { } error)
            {
                context.AddFailure(error.Message);
            }
        });
        RuleFor(c => c.Name).NotEmpty().WithMessage(UserErrors.NameRequired.Message)
            .MaximumLength(User.NameMaxLength).WithMessage(UserErrors.NameTooLong.Message);
        RuleFor(c => c.OrganizationName).MaximumLength(Organization.NameMaxLength);
        RuleFor(c => c.InvitationToken).MaximumLength(200);
    }
}

internal sealed class RegisterCommandHandler(
    ICredentialLocator locator,
    ITenantScope tenant,
    IRepository<Organization> organizations,
    IRepository<User> users,
    IRepository<Invitation> invitations,
    IPasswordHasher hasher,
    IOpaqueTokens opaqueTokens,
    IInstanceSettings settings,
    IAuditTrail audit,
    SignIn signIn,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<RegisterCommand, AuthTokens>
{
    public async Task<AuthTokens> Handle(RegisterCommand request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var email = EmailAddress.Parse(request.Email);
        if (await locator.UserByEmailAsync(email.Value, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new Domain.Common.DomainException(UserErrors.EmailTaken);
        }

        Role role;
        Invitation? invitation = null;
        if (!string.IsNullOrWhiteSpace(request.InvitationToken))
        {
            var located = await locator.InvitationByTokenHashAsync(opaqueTokens.HashOf(request.InvitationToken.Trim()), cancellationToken).ConfigureAwait(false)
                ?? throw new ValidationFailedException("invitation_token", InvitationErrors.NotPending.Message);
            tenant.Enter(located.OrganizationId);
            invitation = await invitations.FindAsync(located.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new ValidationFailedException("invitation_token", InvitationErrors.NotPending.Message);
            invitation.Accept(email, now);
            role = invitation.Role;

            // This invitation's seat (pending until now) becomes the new member's.
            var otherPending = await invitations.CountAsync(new PendingInvitationsFor(null, now, except: invitation.Id), cancellationToken).ConfigureAwait(false);
            MemberQuota.EnsureRoomToAccept(
                await users.CountAsync(new AllUsers(), cancellationToken).ConfigureAwait(false), otherPending + 1, settings.MaxUsersPerOrganization);
        }
        else
        {
            var name = string.IsNullOrWhiteSpace(request.OrganizationName) ? $"{request.Name!.Trim()}'s team" : request.OrganizationName;
            var organization = Organization.Create(Guid.CreateVersion7(), name.Length > Organization.NameMaxLength ? name[..Organization.NameMaxLength] : name, now);
            tenant.Enter(organization.Id);
            organizations.Add(organization);
            role = Role.Admin;
        }

        var passwordHash = hasher.Hash(request.Password!);

        // The first-user claim takes a transaction-level lock, so it and the insert commit together:
        // two registrations on a fresh instance cannot both become its first user.
        return await unitOfWork.InTransactionAsync(
            async () =>
            {
                var instanceAdmin = settings.IsConfiguredInstanceAdmin(email)
                    | await locator.ClaimFirstUserAsync(cancellationToken).ConfigureAwait(false);
                var user = User.Register(Guid.CreateVersion7(), tenant.RequiredOrganizationId(), email, request.Name!, passwordHash, role, instanceAdmin, now);
                users.Add(user);
                audit.Record(AuditActions.Registered, new AuditTarget("user", user.Id), user.Id);
                if (invitation is not null)
                {
                    audit.Record(AuditActions.InvitationAccepted, new AuditTarget("invitation", invitation.Id), user.Id);
                }

                var tokens = signIn.Start(user);
                await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return tokens;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
