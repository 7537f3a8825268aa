using Loupe.Domain.Organizations;

namespace Loupe.Application.Common.Security;

/// <summary>
/// Declares who may send a request. Every command and query carries either this attribute or
/// <see cref="AllowAnonymousAttribute"/>; the authorization behavior enforces it before any
/// validation or handler runs, and an architecture test refuses a request that declares neither.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AuthorizeAttribute : Attribute
{
    /// <summary>The least role in the caller's organization that may send the request.</summary>
    public Role MinimumRole { get; init; } = Role.Viewer;

    /// <summary>Only instance administrators (the operators of this Loupe) may send the request.</summary>
    public bool InstanceAdminOnly { get; init; }

    /// <summary>
    /// Only a person signed in (an access token of a session) may send the request; an API key is
    /// refused with <c>auth.api_key_not_allowed</c> whatever its role. Set on everything that manages
    /// sessions, API keys, the account, invitations, members or organization settings.
    /// </summary>
    public bool SignedInOnly { get; init; }
}

/// <summary>The request needs no authenticated caller (login, registration, health).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AllowAnonymousAttribute : Attribute;
