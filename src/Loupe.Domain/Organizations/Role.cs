namespace Loupe.Domain.Organizations;

/// <summary>A member's role in an organization, from least to most powerful; the order matters.</summary>
public enum Role
{
    Viewer = 0,
    Editor = 1,
    Admin = 2,
}
