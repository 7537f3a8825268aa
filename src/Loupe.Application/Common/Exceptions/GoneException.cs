namespace Loupe.Application.Common.Exceptions;

/// <summary>
/// The resource exists, but what was asked of it is gone for good (a run's stored result that
/// expired): asking again will not help. <see cref="Code"/> tells clients which case it is.
/// </summary>
public sealed class GoneException : Exception
{
    public const string DefaultCode = "gone";

    public GoneException()
        : this(DefaultCode, "The requested content is no longer available.")
    {
    }

    public GoneException(string message)
        : this(DefaultCode, message)
    {
    }

    public GoneException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = DefaultCode;
    }

    public GoneException(string code, string message)
        : base(message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Code = code;
    }

    /// <summary>A stable, machine-readable reason (the problem's <c>code</c>), e.g. <c>run.result_expired</c>.</summary>
    public string Code { get; }
}
