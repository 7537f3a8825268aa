using System.Text.Json;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.PasswordResets;
using Loupe.Domain.Users;

namespace Loupe.Application.Auth.Commands.ForgotPassword;

/// <summary>
/// The job <c>auth.password_reset_mail</c> queued by every valid forgot-password request: finds the
/// account of the address, if any, issues a reset token and mails its link. An unknown address ends
/// the job with nothing done. Delivered at least once, so a node lost mid-mail may send a second
/// link; each is a token of its own and the first one used ends the others.
/// </summary>
internal sealed class PasswordResetMailJob(
    ICredentialLocator locator,
    ITenantScope tenant,
    IRepository<User> users,
    IRepository<PasswordReset> resets,
    IOpaqueTokens opaqueTokens,
    IInstanceSettings settings,
    IMailSender mail,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IJobHandler
{
    public const string JobKind = "auth.password_reset_mail";
    public const int JobAttempts = 3;
    public const string TokenPrefix = "lp_pr";

    public string Kind => JobKind;

    public async Task HandleAsync(JobContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = JsonSerializer.Deserialize<Payload>(context.Payload) ?? throw new InvalidOperationException("An auth.password_reset_mail job carries an email.");
        if (!EmailAddress.TryParse(payload.Email, out var email)
            || await locator.UserByEmailAsync(email.Value, ct).ConfigureAwait(false) is not { } located)
        {
            return;
        }

        tenant.Enter(located.OrganizationId);
        if (await users.FindAsync(located.Id, ct).ConfigureAwait(false) is not { } user)
        {
            return;
        }

        var token = opaqueTokens.Create(TokenPrefix);
        resets.Add(PasswordReset.Issue(Guid.CreateVersion7(), user.OrganizationId, user.Id, token.Hash, clock.GetUtcNow()));
        audit.Record(AuditActions.PasswordResetRequested, new AuditTarget("user", user.Id), user.Id);
        await unitOfWork.SaveChangesAsync(ct).ConfigureAwait(false);

        var link = new Uri(settings.PublicUrl, $"reset-password?token={Uri.EscapeDataString(token.Value)}");
        await mail.SendAsync(
            new OutgoingMail(
                MailKind.PasswordReset,
                user.Email.Value,
                "Reset your Loupe password",
                $"Hello {user.Name},\n\nSomeone asked to reset the password of your Loupe account. If it was you, open this link within {PasswordReset.LifetimeMinutes} minutes:\n\n{link}\n\nIf it was not, ignore this mail: your password stays as it is.\n"),
            ct).ConfigureAwait(false);
    }

    internal sealed record Payload(string Email);
}
