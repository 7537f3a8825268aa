using FluentValidation;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.Auth.Commands.Login;

[AllowAnonymous]
public sealed record LoginCommand(string? Email, string? Password) : IRequest<AuthTokens>;

internal sealed class LoginCommandValidator : AbstractValidator<LoginCommand>
{
    public LoginCommandValidator()
    {
        RuleFor(c => c.Email).NotEmpty().MaximumLength(EmailAddress.MaxLength);
        RuleFor(c => c.Password).NotEmpty().MaximumLength(PasswordPolicy.MaxLength);
    }
}

/// <summary>
/// Signs in. A wrong password, an unknown email and a locked account get the same answer after
/// the same work (a password hash is verified in every case), so an answer reveals nothing.
/// </summary>
internal sealed class LoginCommandHandler(
    ICredentialLocator locator,
    ITenantScope tenant,
    IRepository<User> users,
    IPasswordHasher hasher,
    IAttemptLimiter limiter,
    IInstanceSettings settings,
    IAuditTrail audit,
    SignIn signIn,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<LoginCommand, AuthTokens>
{
    internal const string InvalidCredentials = "Invalid email or password.";

    public async Task<AuthTokens> Handle(LoginCommand request, CancellationToken cancellationToken)
    {
        var password = request.Password!;
        var normalized = request.Email!.Trim().ToLowerInvariant();
        if (!limiter.TryAcquire("auth.email", normalized, out var retryAfter))
        {
            throw new TooManyRequestsException(retryAfter);
        }

        var located = EmailAddress.TryParse(normalized, out var email)
            ? await locator.UserByEmailAsync(email.Value, cancellationToken).ConfigureAwait(false)
            : null;
        if (located is null)
        {
            hasher.VerifyAgainstDummy(password);
            throw new UnauthenticatedException(InvalidCredentials);
        }

        tenant.Enter(located.OrganizationId);
        var user = await users.FindAsync(located.Id, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            hasher.VerifyAgainstDummy(password);
            throw new UnauthenticatedException(InvalidCredentials);
        }

        var now = clock.GetUtcNow();
        if (user.IsLockedAt(now))
        {
            hasher.VerifyAgainstDummy(password);
            audit.Record(AuditActions.LoginFailed, new AuditTarget("user", user.Id), user.Id);
            await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            throw new UnauthenticatedException(InvalidCredentials);
        }

        var verification = hasher.Verify(password, user.PasswordHash);
        if (verification == PasswordVerification.Failed)
        {
            audit.Record(AuditActions.LoginFailed, new AuditTarget("user", user.Id), user.Id);
            if (user.RecordFailedLogin(now, settings.Lockout))
            {
                audit.Record(AuditActions.LockedOut, new AuditTarget("user", user.Id), user.Id);
            }

            await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            throw new UnauthenticatedException(InvalidCredentials);
        }

        if (verification == PasswordVerification.SucceededNeedsRehash)
        {
            user.ChangePasswordHash(hasher.Hash(password), now);
        }

        user.RecordSuccessfulLogin(now);
        audit.Record(AuditActions.LoginSucceeded, new AuditTarget("user", user.Id), user.Id);
        var tokens = signIn.Start(user);
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return tokens;
    }
}
