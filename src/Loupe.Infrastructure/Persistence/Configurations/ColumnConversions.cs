using Loupe.Domain.Organizations;
using Loupe.Domain.Users;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>How domain values are stored: roles as lower-case words, emails as their normalized text.</summary>
internal static class ColumnConversions
{
    public const int RoleMaxLength = 16;

    public static readonly ValueConverter<Role, string> Role = new(
        role => role.ToString().ToLowerInvariant(),
        text => Enum.Parse<Role>(text, true));

    public static readonly ValueConverter<EmailAddress, string> Email = new(
        email => email.Value,
        text => EmailAddress.Parse(text));
}
