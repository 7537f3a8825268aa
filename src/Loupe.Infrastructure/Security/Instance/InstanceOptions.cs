using Loupe.Application.Common.Security;
using Loupe.Domain.Users;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Security.Instance;

/// <summary>Identity settings of this Loupe instance (section <c>Auth</c>, and <c>App:PublicUrl</c>).</summary>
internal sealed class InstanceOptions
{
    public const string Section = "Auth";

    /// <summary>Emails of people who operate the instance (the jobs dashboard), besides its first user.</summary>
    public string[] InstanceAdmins { get; set; } = [];

    public int RefreshTokenDays { get; set; } = 30;

    /// <summary>How long a rotated refresh token still gets its successor instead of ending the session (<c>Auth:RefreshReuseGraceSeconds</c>).</summary>
    public int RefreshReuseGraceSeconds { get; set; } = 30;

    public LockoutOptions Lockout { get; set; } = new();

    /// <summary>Bound from <c>Quotas:MaxUsersPerOrganization</c>.</summary>
    public int MaxUsersPerOrganization { get; set; } = 100;

    /// <summary>Bound from <c>App:PublicUrl</c>: where people open Loupe, for links in mails.</summary>
    public string PublicUrl { get; set; } = "http://127.0.0.1:5080/";

    internal IEnumerable<string> Problems()
    {
        foreach (var email in InstanceAdmins.Where(e => !EmailAddress.TryParse(e, out _)))
        {
            yield return $"Auth:InstanceAdmins contains '{email}', which is not an email address.";
        }

        if (RefreshTokenDays is < 1 or > 365)
        {
            yield return "Auth:RefreshTokenDays must be between 1 and 365.";
        }

        if (RefreshReuseGraceSeconds is < 0 or > 300)
        {
            yield return "Auth:RefreshReuseGraceSeconds must be between 0 and 300.";
        }

        if (Lockout.MaxFailures is < 1 or > 100 || Lockout.WindowMinutes is < 1 or > 1440 || Lockout.LockMinutes is < 1 or > 1440)
        {
            yield return "Auth:Lockout needs MaxFailures 1-100, WindowMinutes and LockMinutes 1-1440.";
        }

        if (MaxUsersPerOrganization is < 1 or > 100_000)
        {
            yield return "Quotas:MaxUsersPerOrganization must be between 1 and 100000.";
        }

        if (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            yield return "App:PublicUrl must be an absolute http(s) URL.";
        }
    }
}

internal sealed class LockoutOptions
{
    public int MaxFailures { get; set; } = 5;

    public int WindowMinutes { get; set; } = 15;

    public int LockMinutes { get; set; } = 15;
}

internal sealed class InstanceSettings(IOptions<InstanceOptions> options) : IInstanceSettings
{
    private readonly InstanceOptions _options = options.Value;
    private readonly HashSet<string> _admins = options.Value.InstanceAdmins
        .Select(e => EmailAddress.TryParse(e, out var email) ? email.Value : e)
        .ToHashSet(StringComparer.Ordinal);

    public Uri PublicUrl => new(_options.PublicUrl.EndsWith('/') ? _options.PublicUrl : _options.PublicUrl + "/");

    public TimeSpan RefreshTokenLifetime => TimeSpan.FromDays(_options.RefreshTokenDays);

    public TimeSpan RefreshReuseGrace => TimeSpan.FromSeconds(_options.RefreshReuseGraceSeconds);

    public LockoutPolicy Lockout => new(
        _options.Lockout.MaxFailures, TimeSpan.FromMinutes(_options.Lockout.WindowMinutes), TimeSpan.FromMinutes(_options.Lockout.LockMinutes));

    public int MaxUsersPerOrganization => _options.MaxUsersPerOrganization;

    public bool IsConfiguredInstanceAdmin(EmailAddress email) => _admins.Contains(email.Value);
}
