using FluentValidation;
using Loupe.Application.Auth;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.PasswordResets;
using Loupe.Domain.Sessions;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.Profile.Commands.ChangePassword;

/// <summary>
/// Changes the caller's password after checking the current one; every other session is signed out
/// and every outstanding reset token ends.
/// </summary>
[Authorize(SignedInOnly = true)]
public sealed record ChangePasswordCommand(string? CurrentPassword, string? NewPassword) : IRequest<Unit>;

internal sealed class ChangePasswordCommandValidator : AbstractValidator<ChangePasswordCommand>
{
    public ChangePasswordCommandValidator()
    {
        RuleFor(c => c.CurrentPassword).NotEmpty().MaximumLength(PasswordPolicy.MaxLength);
        RuleFor(c => c.NewPassword).Custom((password, context) =>
        {
            if (PasswordPolicy.Check(password, email: null) is { } error)
            {
                context.AddFailure(error.Message);
            }
        });
    }
}

internal sealed class ChangePasswordCommandHandler(
    ICurrentUser currentUser,
    IRepository<User> users,
    IRepository<Session> sessions,
    IRepository<PasswordReset> resets,
    IPasswordHasher hasher,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<ChangePasswordCommand, Unit>
{
    public async Task<Unit> Handle(ChangePasswordCommand request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var user = await users.FindAsync(currentUser.UserId ?? Guid.Empty, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("User", currentUser.UserId ?? Guid.Empty);
        if (hasher.Verify(request.CurrentPassword!, user.PasswordHash) == PasswordVerification.Failed)
        {
            throw new ValidationFailedException("current_password", "The current password is not right.");
        }

        if (PasswordPolicy.Check(request.NewPassword, user.Email) is { } weak)
        {
            throw new ValidationFailedException("new_password", weak.Message);
        }

        user.ChangePasswordHash(hasher.Hash(request.NewPassword!), now);
        foreach (var session in await sessions.ListAsync(new ActiveSessionsOfUser(user.Id, now), cancellationToken).ConfigureAwait(false))
        {
            if (session.Id != currentUser.SessionId)
            {
                session.Revoke("password_changed", now);
            }
        }

        foreach (var reset in await resets.ListAsync(new OutstandingPasswordResetsOf(user.Id, now), cancellationToken).ConfigureAwait(false))
        {
            reset.Supersede(now);
        }

        audit.Record(AuditActions.PasswordChanged, new AuditTarget("user", user.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }
}
