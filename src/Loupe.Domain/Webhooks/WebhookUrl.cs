using Loupe.Domain.Common;

namespace Loupe.Domain.Webhooks;

/// <summary>
/// A receiver's URL as Loupe accepts it: absolute http(s), a host, no user name or password (so
/// <c>https://trusted@10.0.0.1/</c> cannot pass for a name), no fragment; https only unless plain
/// http is allowed (the Development environment). Where the host points is checked apart
/// (<see cref="WebhookAddressPolicy"/>), as written and again on every address connected to.
/// </summary>
public sealed class WebhookUrl
{
    public const int MaxLength = 2048;

    private WebhookUrl(Uri uri)
    {
        Uri = uri;
    }

    public Uri Uri { get; }

    /// <summary>The URL as stored and shown.</summary>
    public string Value => Uri.AbsoluteUri;

    /// <summary>The host as the network stack reads it (IPv6 without brackets).</summary>
    public string Host => Uri.IdnHost;

    /// <exception cref="DomainException"><see cref="WebhookErrors.UrlInvalid"/> or <see cref="WebhookErrors.UrlNotHttps"/>.</exception>
    public static WebhookUrl Parse(string? text, bool allowHttp)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > MaxLength
            || trimmed.Any(char.IsControl)
            || !Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("https" or "http")
            || string.IsNullOrEmpty(uri.Host)
            || uri.UserInfo.Length > 0
            || trimmed.Contains('@', StringComparison.Ordinal) && AuthorityOf(trimmed).Contains('@', StringComparison.Ordinal)
            || uri.Fragment.Length > 0)
        {
            throw new DomainException(WebhookErrors.UrlInvalid);
        }

        if (uri.Scheme != "https" && !allowHttp)
        {
            throw new DomainException(WebhookErrors.UrlNotHttps);
        }

        return new WebhookUrl(uri);
    }

    public override string ToString() => Value;

    /// <summary>What lies between "://" and the next '/', '?' or '#'.</summary>
    private static string AuthorityOf(string text)
    {
        var start = text.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? text : text[(start + 3)..];
        var end = rest.IndexOfAny(['/', '?', '#', '\\']);
        return end < 0 ? rest : rest[..end];
    }
}
