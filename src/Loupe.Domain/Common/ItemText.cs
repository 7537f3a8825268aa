namespace Loupe.Domain.Common;

/// <summary>
/// The name and description rules every named item shares (saved queries, visualizations,
/// dashboards, canvases), each under its own codes: trimmed; a name required, a blank description
/// stored as none; no NUL character (checked before the length); at most the item's length.
/// </summary>
public static class ItemText
{
    /// <summary>The trimmed name, or the first rule it breaks.</summary>
    public static string Name(string? name, int maxLength, DomainError required, DomainError tooLong, Func<string, DomainError> nulCharacter)
    {
        ArgumentNullException.ThrowIfNull(nulCharacter);
        var trimmed = name?.Trim();
        return string.IsNullOrEmpty(trimmed) ? throw new DomainException(required) : Checked(trimmed, "name", maxLength, tooLong, nulCharacter);
    }

    /// <summary>The trimmed description (null when blank), or the first rule it breaks.</summary>
    public static string? Description(string? description, int maxLength, DomainError tooLong, Func<string, DomainError> nulCharacter)
    {
        ArgumentNullException.ThrowIfNull(nulCharacter);
        var trimmed = description?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : Checked(trimmed, "description", maxLength, tooLong, nulCharacter);
    }

    private static string Checked(string trimmed, string field, int maxLength, DomainError tooLong, Func<string, DomainError> nulCharacter)
    {
        if (trimmed.Contains('\0', StringComparison.Ordinal))
        {
            throw new DomainException(nulCharacter(field));
        }

        return trimmed.Length <= maxLength ? trimmed : throw new DomainException(tooLong);
    }
}
