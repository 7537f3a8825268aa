namespace Loupe.Application.Common.Exceptions;

/// <summary>A limit on attempts was reached; the caller may retry after <see cref="RetryAfter"/>.</summary>
public sealed class TooManyRequestsException : Exception
{
    public TooManyRequestsException(TimeSpan retryAfter)
        : base($"Too many attempts; retry after {Math.Ceiling(retryAfter.TotalSeconds)} seconds.")
    {
        RetryAfter = retryAfter;
    }

    public TooManyRequestsException()
        : this(TimeSpan.FromMinutes(1))
    {
    }

    public TooManyRequestsException(string message)
        : base(message)
    {
        RetryAfter = TimeSpan.FromMinutes(1);
    }

    public TooManyRequestsException(string message, Exception innerException)
        : base(message, innerException)
    {
        RetryAfter = TimeSpan.FromMinutes(1);
    }

    public TimeSpan RetryAfter { get; }
}
