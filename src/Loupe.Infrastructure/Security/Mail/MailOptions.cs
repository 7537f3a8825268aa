using System.Net.Mail;

namespace Loupe.Infrastructure.Security.Mail;

/// <summary>How Loupe sends mail (<c>Mail</c>): SMTP when <c>Mail:Smtp:Host</c> is set.</summary>
internal sealed class MailOptions
{
    public const string Section = "Mail";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The sender address (<c>Mail:From</c>), with an optional display name.</summary>
    public string From { get; set; } = "Loupe <no-reply@localhost>";

    /// <summary>
    /// Where Development writes mail instead of sending it (<c>Mail:DropFolder</c>); a relative path
    /// is taken from the current directory.
    /// </summary>
    public string DropFolder { get; set; } = Path.Combine(".data", "mail");

    public bool SmtpConfigured => !string.IsNullOrWhiteSpace(Smtp.Host);

    internal IEnumerable<string> Problems()
    {
        if (!MailAddress.TryCreate(From, out _))
        {
            yield return "Mail:From must be a mail address such as 'Loupe <no-reply@example.com>'.";
        }

        if (Smtp.Port is < 1 or > 65535)
        {
            yield return "Mail:Smtp:Port must be between 1 and 65535.";
        }

        if (!string.IsNullOrEmpty(Smtp.Username) && string.IsNullOrEmpty(Smtp.Password))
        {
            yield return "Mail:Smtp:Password is required when Mail:Smtp:Username is set.";
        }

        if (string.IsNullOrWhiteSpace(DropFolder))
        {
            yield return "Mail:DropFolder must not be empty.";
        }
    }
}

/// <summary>The SMTP relay (<c>Mail:Smtp</c>).</summary>
internal sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public string? Username { get; set; }

    /// <summary>A secret: never logged, never echoed in a validation message.</summary>
    public string? Password { get; set; }

    /// <summary>STARTTLS (<c>Mail:Smtp:EnableSsl</c>); only a local relay should turn it off.</summary>
    public bool EnableSsl { get; set; } = true;

    public override string ToString() => $"{Host}:{Port}";
}
