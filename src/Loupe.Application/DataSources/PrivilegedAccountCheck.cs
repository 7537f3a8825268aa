using Loupe.Application.Common.Connectors;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;

namespace Loupe.Application.DataSources;

/// <summary>
/// Before a data source's connection or policy is saved, Loupe connects and lets the connector read
/// the account's attributes: a privileged account without the admin's opt-in is refused with
/// <c>datasource.privileged_account</c> and nothing is saved. A data source that cannot be reached
/// now is saved as before; the connector checks again on every connection it opens (ADR 0026).
/// </summary>
internal static class PrivilegedAccountCheck
{
    public static async Task EnsureAllowedAsync(IDataSourceConnectors connectors, ConnectionTarget target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connectors);
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            await connectors.ConnectorFor(target.Settings.Type).TestAsync(target, ct).ConfigureAwait(false);
        }
        catch (QueryExecutionException refused) when (refused.Code == PrivilegedAccounts.Code)
        {
            // The pool built for the refused account is not kept.
            await connectors.ForgetAsync(target.DataSourceId).ConfigureAwait(false);
            throw new DomainException(DomainError.Unprocessable(refused.Code, refused.Message));
        }
        catch (QueryExecutionException)
        {
            // Unreachable or failing today: saved as before; every run still checks the account.
        }
    }
}
