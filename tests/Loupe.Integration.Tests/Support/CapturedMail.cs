using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Loupe.Application.Common.Security;

namespace Loupe.Integration.Tests.Support;

/// <summary>Stands in for the mail sender of a test host and keeps every mail, so tests can follow links in them.</summary>
public sealed partial class CapturedMail : IMailSender
{
    private readonly ConcurrentQueue<OutgoingMail> _sent = new();

    public IReadOnlyList<OutgoingMail> Sent => [.. _sent];

    public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        _sent.Enqueue(mail);
        return Task.CompletedTask;
    }

    /// <summary>The token in the link of the newest mail of <paramref name="kind"/> to <paramref name="to"/>.</summary>
    public string TokenSentTo(string to, MailKind kind)
    {
        var mail = _sent.Last(m => m.Kind == kind && string.Equals(m.To, to, StringComparison.OrdinalIgnoreCase));
        return Uri.UnescapeDataString(Token().Match(mail.TextBody).Groups["token"].Value);
    }

    [GeneratedRegex(@"token=(?<token>[A-Za-z0-9_%\-]+)")]
    private static partial Regex Token();
}
