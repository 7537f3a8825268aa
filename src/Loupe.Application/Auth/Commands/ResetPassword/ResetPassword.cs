using FluentValidation;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.PasswordResets;
using Loupe.Domain.Sessions;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.Auth.Commands.ResetPassword;

/// <summary>
/// Sets a new password with a reset token, once, signs every session of the account out and ends its
/// other reset tokens.
/// </summary>
[AllowAnonymous]
public sealed record ResetPasswordCommand(string? Token, string? Password) : IRequest<Unit>;

internal sealed class ResetPasswordCommandValidator : AbstractValidator<ResetPasswordCommand>
{
    public ResetPasswordCommandValidator()
    {
        RuleFor(c => c.Token).NotEmpty().MaximumLength(200);
        RuleFor(c => c.Password).Custom((password, context) =>
        {
            if (PasswordPolicy.Check(password, email: null) is { } error)
            {
                context.AddFailure(error.Message);
            }
        });
    }
}

internal sealed class ResetPasswordCommandHandler(
    ICredentialLocator locator,
    ITenantScope tenant,
    IRepository<PasswordReset> resets,
    IRepository<User> users,
    IRepository<Session> sessions,
    IOpaqueTokens opaqueTokens,
    IPasswordHasher hasher,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<ResetPasswordCommand, Unit>
{
    public async Task<Unit> Handle(ResetPasswordCommand request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var located = await locator.PasswordResetByTokenHashAsync(opaqueTokens.HashOf(request.Token!.Trim()), cancellationToken).ConfigureAwait(false)
            ?? throw new ValidationFailedException("token", PasswordResetErrors.InvalidOrExpired.Message);
        tenant.Enter(located.OrganizationId);
        var reset = await resets.FindAsync(located.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new ValidationFailedException("token", PasswordResetErrors.InvalidOrExpired.Message);
        var user = await users.FindAsync(reset.UserId, cancellationToken).ConfigureAwait(false)
            ?? throw new ValidationFailedException("token", PasswordResetErrors.InvalidOrExpired.Message);

        reset.Use(now);
        PasswordPolicy.Enforce(request.Password, user.Email);
        user.ChangePasswordHash(hasher.Hash(request.Password!), now);
        foreach (var session in await sessions.ListAsync(new ActiveSessionsOfUser(user.Id, now), cancellationToken).ConfigureAwait(false))
        {
            session.Revoke("password_reset", now);
        }

        foreach (var other in await resets.ListAsync(new OutstandingPasswordResetsOf(user.Id, now), cancellationToken).ConfigureAwait(false))
        {
            other.Supersede(now);
        }

        audit.Record(AuditActions.PasswordReset, new AuditTarget("user", user.Id), user.Id);
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }
}
