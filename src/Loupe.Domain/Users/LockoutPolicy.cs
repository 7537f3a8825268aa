namespace Loupe.Domain.Users;

/// <summary>After <see cref="MaxFailures"/> failed logins within <see cref="Window"/>, the account locks for <see cref="LockFor"/>.</summary>
public sealed record LockoutPolicy(int MaxFailures, TimeSpan Window, TimeSpan LockFor)
{
    public static LockoutPolicy Default { get; } = new(5, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15));
}
