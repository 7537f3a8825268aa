namespace Loupe.Application.Common.Exceptions;

/// <summary>
/// The resource does not exist for this caller. Another organization's resources are reported
/// the same way, so identifiers cannot be probed.
/// </summary>
public sealed class NotFoundException : Exception
{
    public NotFoundException(string resource, Guid id)
        : base($"{resource} {id} was not found.")
    {
    }

    public NotFoundException()
        : base("The resource was not found.")
    {
    }

    public NotFoundException(string message)
        : base(message)
    {
    }

    public NotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
