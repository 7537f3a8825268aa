using FluentValidation;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Jobs;
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
/// Signs in. A wrong password, an unknown email and a locked account get the same answer after the
/// same work on the request path, so neither the answer nor its timing tells who has an account:
/// the address is looked up and a user row read (a random id in a random organization when there is
/// no account), one Argon2id verification runs (against a dummy hash of the same parameters when
/// there is no account or it is locked), and one instance job <c>auth.login_failed</c> is stored (a round trip of its own, nothing else is saved). That job
/// (<see cref="LoginFailedJob"/>) writes the audit event and counts the failure towards the lockout.
/// </summary>
internal sealed class LoginCommandHandler(
    ICredentialLocator locator,
    ITenantScope tenant,
    IRepository<User> users,
    IPasswordHasher hasher,
    IAttemptLimiter limiter,
    IInstanceJobs failures,
    IAuditTrail audit,
    SignIn signIn,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<LoginCommand, AuthTokens>
{
    internal const string InvalidCredentials = "Invalid email or password.";

    private const int MaxTries = 3;

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

        // Without an account the same read runs for an id nobody has, in an organization nobody has
        // (entered, so the statement is the same: without one, EF Core would write another for the filter).
        tenant.Enter(located?.OrganizationId ?? Guid.NewGuid());
        var user = await users.FindAsync(located?.Id ?? Guid.NewGuid(), cancellationToken).ConfigureAwait(false);

        var now = clock.GetUtcNow();
        if (user is null || user.IsLockedAt(now))
        {
            hasher.VerifyAgainstDummy(password);
            return await RefuseAsync(normalized, now, cancellationToken).ConfigureAwait(false);
        }

        var verification = hasher.Verify(password, user.PasswordHash);
        if (verification == PasswordVerification.Failed)
        {
            return await RefuseAsync(normalized, now, cancellationToken).ConfigureAwait(false);
        }

        var verifiedHash = user.PasswordHash;
        var rehashed = verification == PasswordVerification.SucceededNeedsRehash ? hasher.Hash(password) : null;
        audit.Record(AuditActions.LoginSucceeded, new AuditTarget("user", user.Id), user.Id);
        var tokens = signIn.Start(user);

        // The job of an earlier refused sign-in may save the account meanwhile (a count, a lock):
        // read it again and sign in on what is there now, unless it is locked or its password changed.
        var saved = await unitOfWork.SaveWithRetryAsync(
            () =>
            {
                if (rehashed is not null)
                {
                    user.ChangePasswordHash(rehashed, now);
                }

                user.RecordSuccessfulLogin(now);
            },
            async () => await users.ReloadAsync(user, cancellationToken).ConfigureAwait(false)
                && !user.IsLockedAt(now)
                && user.PasswordHash == verifiedHash,
            cancellationToken,
            MaxTries).ConfigureAwait(false);
        return saved ? tokens : await RefuseAsync(normalized, now, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AuthTokens> RefuseAsync(string normalizedEmail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await failures.EnqueueAsync(LoginFailedJob.For(normalizedEmail, now), cancellationToken).ConfigureAwait(false);
        throw new UnauthenticatedException(InvalidCredentials);
    }
}
