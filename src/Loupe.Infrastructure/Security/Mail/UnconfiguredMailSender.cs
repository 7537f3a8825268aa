using Loupe.Application.Common.Security;
using Microsoft.Extensions.Logging;

namespace Loupe.Infrastructure.Security.Mail;

/// <summary>
/// Outside Development without SMTP: the mail is dropped with a warning that names its kind and a
/// masked address. It does not throw, because the callers (forgot-password) must answer the same
/// whether or not mail can go out.
/// </summary>
internal sealed partial class UnconfiguredMailSender(ILogger<UnconfiguredMailSender> logger) : IMailSender
{
    public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        LogNotSent(logger, mail.Kind, MailAddressMask.Mask(mail.To));
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {Kind} to {To} not sent: no SMTP configured (set Mail:Smtp:Host)")]
    private static partial void LogNotSent(ILogger logger, MailKind kind, string to);
}
