namespace Loupe.Application.Common.Security;

/// <summary>Why a mail is sent; logs name the kind, never the body (which may hold a token).</summary>
public enum MailKind
{
    PasswordReset,
    Invitation,
}

public sealed record OutgoingMail(MailKind Kind, string To, string Subject, string TextBody);

/// <summary>Sends mail: SMTP when configured; in Development a mail-drop folder and a log line.</summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}
