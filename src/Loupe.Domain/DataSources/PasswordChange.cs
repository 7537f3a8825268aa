namespace Loupe.Domain.DataSources;

/// <summary>What a change of connection settings does with the stored password: keep it, replace it, or remove it.</summary>
public sealed record PasswordChange
{
    private PasswordChange(PasswordChangeKind kind, EncryptedSecret? secret)
    {
        Kind = kind;
        Secret = secret;
    }

    /// <summary>The stored password stays; refused when the settings send it somewhere else (<see cref="DataSource.ChangeConnection"/>).</summary>
    public static PasswordChange Keep { get; } = new(PasswordChangeKind.Keep, null);

    /// <summary>The stored password is removed.</summary>
    public static PasswordChange Clear { get; } = new(PasswordChangeKind.Clear, null);

    public PasswordChangeKind Kind { get; }

    /// <summary>The new password, encrypted; only for <see cref="PasswordChangeKind.Set"/>.</summary>
    public EncryptedSecret? Secret { get; }

    /// <summary>A newly given password replaces the stored one.</summary>
    public static PasswordChange Set(EncryptedSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return new(PasswordChangeKind.Set, secret);
    }

    /// <summary>Never the secret.</summary>
    public override string ToString() => $"PasswordChange {{ Kind = {Kind} }}";
}

public enum PasswordChangeKind
{
    Keep,
    Set,
    Clear,
}
