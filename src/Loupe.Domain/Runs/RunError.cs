namespace Loupe.Domain.Runs;

/// <summary>Why a run failed: the database's SQLSTATE (or a Loupe code) and a message without secrets.</summary>
public sealed record RunError
{
    public const int CodeMaxLength = 64;
    public const int MessageMaxLength = 2000;

    public RunError(string code, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Code = code.Length > CodeMaxLength ? code[..CodeMaxLength] : code;
        var text = string.IsNullOrWhiteSpace(message) ? "The run failed." : message;
        Message = text.Length > MessageMaxLength ? string.Concat(text.AsSpan(0, MessageMaxLength - 1), "…") : text;
    }

    public string Code { get; }

    public string Message { get; }
}
