using System.Runtime.ExceptionServices;

namespace Loupe.Infrastructure.Connectors;

/// <summary>
/// The sink failed while a connector was handing it rows: the failure is Loupe's (its result store or
/// its database), not the data source's. Connectors let the wrapped exception out as it was thrown,
/// never translated into the data source's error.
/// </summary>
internal sealed class RowSinkException : Exception
{
    public RowSinkException()
    {
    }

    public RowSinkException(string message)
        : base(message)
    {
    }

    public RowSinkException(Exception failure)
        : base("The row sink failed.", failure)
    {
    }

    public RowSinkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Throws the sink's own exception again, with its original stack trace.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public void RethrowSinkFailure() => ExceptionDispatchInfo.Throw(InnerException ?? this);
}
