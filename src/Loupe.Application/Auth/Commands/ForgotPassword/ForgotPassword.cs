using FluentValidation;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.PasswordResets;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.Auth.Commands.ForgotPassword;

/// <summary>
/// Mails a single-use reset link when the address has an account. The answer is the same either
/// way (202), so the endpoint cannot be used to learn who has an account.
/// </summary>
[AllowAnonymous]
public sealed record ForgotPasswordCommand(string? Email) : IRequest<Unit>;

internal sealed class ForgotPasswordCommandValidator : AbstractValidator<ForgotPasswordCommand>
{
    public ForgotPasswordCommandValidator() =>
        RuleFor(c => c.Email).Must(e => EmailAddress.TryParse(e, out _)).WithMessage(UserErrors.InvalidEmail.Message);
}

internal sealed class ForgotPasswordCommandHandler(
    ICredentialLocator locator,
    ITenantScope tenant,
    IRepository<User> users,
    IRepository<PasswordReset> resets,
    IOpaqueTokens opaqueTokens,
    IAttemptLimiter limiter,
    IInstanceSettings settings,
    IMailSender mail,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<ForgotPasswordCommand, Unit>
{
    public const string TokenPrefix = "lp_pr";

    public async Task<Unit> Handle(ForgotPasswordCommand request, CancellationToken cancellationToken)
    {
        var email = EmailAddress.Parse(request.Email);

        // Over the limit the request is dropped silently: answering 429 only for known accounts would tell.
        if (!limiter.TryAcquire("auth.email", email.Value, out _)
            || await locator.UserByEmailAsync(email.Value, cancellationToken).ConfigureAwait(false) is not { } located)
        {
            return Unit.Value;
        }

        tenant.Enter(located.OrganizationId);
        if (await users.FindAsync(located.Id, cancellationToken).ConfigureAwait(false) is not { } user)
        {
            return Unit.Value;
        }

        var token = opaqueTokens.Create(TokenPrefix);
        resets.Add(PasswordReset.Issue(Guid.CreateVersion7(), user.OrganizationId, user.Id, token.Hash, clock.GetUtcNow()));
        audit.Record(AuditActions.PasswordResetRequested, new AuditTarget("user", user.Id), user.Id);
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

        var link = new Uri(settings.PublicUrl, $"reset-password?token={Uri.EscapeDataString(token.Value)}");
        await mail.SendAsync(
            new OutgoingMail(
                MailKind.PasswordReset,
                user.Email.Value,
                "Reset your Loupe password",
                $"Hello {user.Name},\n\nSomeone asked to reset the password of your Loupe account. If it was you, open this link within 30 minutes:\n\n{link}\n\nIf it was not, ignore this mail: your password stays as it is.\n"),
            cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }
}
