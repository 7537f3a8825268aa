using Ardalis.Specification;
using FluentValidation;
using Loupe.Application.Auth;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Invitations;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.Organizations.Commands.CreateInvitation;

/// <summary>
/// Invites an email address with a role for <see cref="Invitation.LifetimeDays"/> days. The answer carries the token and the accept
/// link, so an admin can pass it on themselves; it is also mailed.
/// </summary>
[Authorize(MinimumRole = Domain.Organizations.Role.Admin, SignedInOnly = true)]
public sealed record CreateInvitationCommand(string? Email, Role? Role) : IRequest<CreatedInvitationDto>;

public sealed record CreatedInvitationDto(Guid Id, string Email, Role Role, string Token, Uri AcceptUrl, DateTimeOffset ExpiresAt);

internal sealed class CreateInvitationCommandValidator : AbstractValidator<CreateInvitationCommand>
{
    public CreateInvitationCommandValidator()
    {
        RuleFor(c => c.Email).Must(e => EmailAddress.TryParse(e, out _)).WithMessage(UserErrors.InvalidEmail.Message);
        RuleFor(c => c.Role).NotNull().IsInEnum();
    }
}

internal sealed class CreateInvitationCommandHandler(
    ICurrentUser currentUser,
    ITenantScope tenant,
    IRepository<Invitation> invitations,
    IRepository<User> users,
    IOpaqueTokens opaqueTokens,
    IInstanceSettings settings,
    IMailSender mail,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<CreateInvitationCommand, CreatedInvitationDto>
{
    public const string TokenPrefix = "lp_inv";

    public async Task<CreatedInvitationDto> Handle(CreateInvitationCommand request, CancellationToken cancellationToken)
    {
        var email = EmailAddress.Parse(request.Email);

        // Only this organization's members count: refusing an address that has an account in another
        // organization would tell any admin who uses Loupe elsewhere. That invitee learns it at sign-up.
        if (await users.CountAsync(new UsersWithEmail(email), cancellationToken).ConfigureAwait(false) > 0)
        {
            throw new Domain.Common.DomainException(UserErrors.EmailTaken);
        }

        var now = clock.GetUtcNow();
        if (await invitations.CountAsync(new PendingInvitationsFor(email, now), cancellationToken).ConfigureAwait(false) > 0)
        {
            throw new Domain.Common.DomainException(InvitationErrors.AlreadyPending);
        }

        MemberQuota.EnsureRoomToInvite(
            await users.CountAsync(new AllUsers(), cancellationToken).ConfigureAwait(false),
            await invitations.CountAsync(new PendingInvitationsFor(null, now), cancellationToken).ConfigureAwait(false),
            settings.MaxUsersPerOrganization);

        var token = opaqueTokens.Create(TokenPrefix);
        var invitation = Invitation.Create(
            Guid.CreateVersion7(), tenant.RequiredOrganizationId(), email, request.Role!.Value, token.Hash, currentUser.UserId!.Value, now);
        invitations.Add(invitation);
        audit.Record(
            AuditActions.InvitationCreated,
            new AuditTarget("invitation", invitation.Id),
            details: new Dictionary<string, string>(StringComparer.Ordinal) { [AuditDetails.Role] = AuditDetails.NameOf(invitation.Role) });
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

        var link = new Uri(settings.PublicUrl, $"register?invitation_token={Uri.EscapeDataString(token.Value)}");
        await mail.SendAsync(
            new OutgoingMail(
                MailKind.Invitation,
                email.Value,
                "You are invited to Loupe",
                $"You have been invited to join a team on Loupe as {invitation.Role.ToString().ToLowerInvariant()}. Accept within {Invitation.LifetimeDays} days:\n\n{link}\n"),
            cancellationToken).ConfigureAwait(false);
        return new CreatedInvitationDto(invitation.Id, email.Value, invitation.Role, token.Value, link, invitation.ExpiresAt);
    }
}

/// <summary>The members of the current organization with one address (at most one).</summary>
internal sealed class UsersWithEmail : Specification<User>
{
    public UsersWithEmail(EmailAddress email)
    {
        Query.Where(u => u.Email == email);
    }
}
