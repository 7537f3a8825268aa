using Loupe.Domain.Common;

namespace Loupe.Domain.Users;

public static class UserErrors
{
    public static readonly DomainError InvalidEmail =
        DomainError.Validation("user.invalid_email", "email", "Enter a valid email address.");

    public static readonly DomainError NameRequired =
        DomainError.Validation("user.name_required", "name", "A name is required.");

    public static readonly DomainError NameTooLong =
        DomainError.Validation("user.name_too_long", "name", $"A name has at most {User.NameMaxLength} characters.");

    public static readonly DomainError PasswordTooShort =
        DomainError.Validation("user.password_too_short", "password", $"A password has at least {PasswordPolicy.MinLength} characters.");

    public static readonly DomainError PasswordTooLong =
        DomainError.Validation("user.password_too_long", "password", $"A password has at most {PasswordPolicy.MaxLength} characters.");

    public static readonly DomainError PasswordIsEmail =
        DomainError.Validation("user.password_is_email", "password", "A password must not be the email address.");

    public static readonly DomainError LastAdmin =
        DomainError.Conflict("user.last_admin", "An organization needs at least one admin: promote someone else first.");

    public static readonly DomainError EmailTaken =
        DomainError.Conflict("user.email_taken", "An account with this email already exists.");
}
