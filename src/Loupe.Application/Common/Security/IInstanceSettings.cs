using Loupe.Domain.Users;

namespace Loupe.Application.Common.Security;

/// <summary>Instance-wide settings the identity use cases need: who operates this Loupe, and its public address.</summary>
public interface IInstanceSettings
{
    /// <summary>Listed in configuration as an instance administrator (besides the instance's first user).</summary>
    bool IsConfiguredInstanceAdmin(EmailAddress email);

    /// <summary>The address users reach Loupe's web app at, for links in mails.</summary>
    Uri PublicUrl { get; }

    TimeSpan RefreshTokenLifetime { get; }

    /// <summary>How long after its rotation a refresh token presented again gets the same successor instead of ending its session.</summary>
    TimeSpan RefreshReuseGrace { get; }

    LockoutPolicy Lockout { get; }

    /// <summary>The most members (and pending invitations) one organization may have.</summary>
    int MaxUsersPerOrganization { get; }
}
