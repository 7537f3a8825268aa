using System.Net;
using System.Net.Mail;
using System.Text;
using Loupe.Application.Common.Security;
using Microsoft.Extensions.Logging;

namespace Loupe.Infrastructure.Security.Mail;

/// <summary>
/// Sends through the configured SMTP relay with <see cref="SmtpClient"/>, one client per mail
/// (it is not safe to share between concurrent sends). Logs name the kind and a masked address.
/// </summary>
internal sealed partial class SmtpMailSender(MailOptions options, ILogger<SmtpMailSender> logger) : IMailSender
{
    /// <summary>A relay that accepts the connection and then stalls must not hold a request for long.</summary>
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    public SmtpOptions Smtp => options.Smtp;

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        using var message = new MailMessage(new MailAddress(options.From), new MailAddress(mail.To))
        {
            Subject = mail.Subject.ReplaceLineEndings(" "),
            SubjectEncoding = Encoding.UTF8,
            Body = mail.TextBody,
            BodyEncoding = Encoding.UTF8,
            IsBodyHtml = false,
        };
        message.Headers.Add("X-Loupe-Mail-Kind", mail.Kind.ToString());

        using var client = new SmtpClient(Smtp.Host, Smtp.Port)
        {
            EnableSsl = Smtp.EnableSsl,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Timeout = (int)SendTimeout.TotalMilliseconds,
        };
        if (!string.IsNullOrEmpty(Smtp.Username))
        {
            client.Credentials = new NetworkCredential(Smtp.Username, Smtp.Password);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SendTimeout);
        await client.SendMailAsync(message, timeout.Token).ConfigureAwait(false);
        var maskedTo = MailAddressMask.Mask(mail.To);
        LogSent(logger, mail.Kind, maskedTo, Smtp.Host!);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail {Kind} to {To} sent through {SmtpHost}")]
    private static partial void LogSent(ILogger logger, MailKind kind, string to, string smtpHost);
}
