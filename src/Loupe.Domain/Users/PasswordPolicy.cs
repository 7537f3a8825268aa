using Loupe.Domain.Common;

namespace Loupe.Domain.Users;

/// <summary>What a password must be before it is hashed: 8 to 128 characters, and not the email address.</summary>
public static class PasswordPolicy
{
    public const int MinLength = 8;
    public const int MaxLength = 128;

    public static DomainError? Check(string? password, EmailAddress? email)
    {
        if (password is null || password.Length < MinLength)
        {
            return UserErrors.PasswordTooShort;
        }

        if (password.Length > MaxLength)
        {
            return UserErrors.PasswordTooLong;
        }

        if (email is not null && string.Equals(password.Trim(), email.Value, StringComparison.OrdinalIgnoreCase))
        {
            return UserErrors.PasswordIsEmail;
        }

        return null;
    }

    public static void Enforce(string? password, EmailAddress? email)
    {
        if (Check(password, email) is { } error)
        {
            throw new DomainException(error);
        }
    }
}
