using System.Text.Json;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Users;

namespace Loupe.Application.Auth.Commands.Login;

/// <summary>
/// The job <c>auth.login_failed</c> queued by every refused sign-in, known address or not: finds the
/// account of the address, if any, writes the <c>auth.login_failed</c> audit event, counts the
/// failure at the time of the request and locks the account once the lockout policy says so
/// (<c>auth.locked_out</c>). An unknown address ends the job with nothing done. A failure while the
/// account is already locked is audited but not counted, as before. Keeping this off the request
/// path is what makes a refusal for a known address cost the same as for an unknown one.
/// </summary>
internal sealed class LoginFailedJob(
    ICredentialLocator locator,
    ITenantScope tenant,
    IRepository<User> users,
    IInstanceSettings settings,
    IAuditTrail audit,
    IUnitOfWork unitOfWork) : IJobHandler
{
    public const string JobKind = "auth.login_failed";

    /// <summary>The count, the lock and the audit events are saved in one transaction, which is the job's last step, so a retry never counts twice.</summary>
    public const int JobAttempts = 3;

    /// <summary>How often one attempt counts the failure again after another job saved the account first.</summary>
    internal const int MaxTriesPerAttempt = 8;

    public string Kind => JobKind;

    public static JobRequest For(string normalizedEmail, DateTimeOffset failedAt) => new(
        JobKind,
        JsonSerializer.Serialize(new Payload(normalizedEmail, failedAt)),
        OrganizationId: null,
        MaxAttempts: JobAttempts);

    public async Task HandleAsync(JobContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = JsonSerializer.Deserialize<Payload>(context.Payload) ?? throw new InvalidOperationException("An auth.login_failed job carries an email.");
        if (!EmailAddress.TryParse(payload.Email, out var email)
            || await locator.UserByEmailAsync(email.Value, ct).ConfigureAwait(false) is not { } located)
        {
            return;
        }

        tenant.Enter(located.OrganizationId);

        // Refused sign-ins of one account are counted by jobs that may run side by side: one saves
        // first and the others meet a conflict. Each then forgets what it did and does it again on
        // the account as it is now, so every failure counts once and exactly one job locks it.
        if (await users.FindAsync(located.Id, ct).ConfigureAwait(false) is not { } user)
        {
            return;
        }

        try
        {
            await unitOfWork.SaveWithRetryAsync(
                () =>
                {
                    audit.Record(AuditActions.LoginFailed, new AuditTarget("user", user.Id), user.Id);
                    if (user.RecordFailedLogin(payload.FailedAt, settings.Lockout))
                    {
                        audit.Record(AuditActions.LockedOut, new AuditTarget("user", user.Id), user.Id);
                    }
                },
                async () =>
                {
                    // The audit events of the try that lost are forgotten with the account's changes.
                    unitOfWork.DiscardChanges();
                    user = await users.FindAsync(located.Id, ct).ConfigureAwait(false);
                    return user is not null;
                },
                ct,
                MaxTriesPerAttempt).ConfigureAwait(false);
        }
        catch (ConflictException conflict) when (ConcurrencyRetry.IsConcurrentChange(conflict))
        {
            throw new RetryableJobException("The account kept changing while this failure was counted.", conflict);
        }
    }

    internal sealed record Payload(string Email, DateTimeOffset FailedAt);
}
