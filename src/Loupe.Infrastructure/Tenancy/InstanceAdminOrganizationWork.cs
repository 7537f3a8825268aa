using Loupe.Application.Common.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Loupe.Infrastructure.Tenancy;

/// <summary>
/// An instance admin's work inside another organization: a new service scope (its own database context
/// and connection, so its statements carry that organization's setting for row-level security) whose
/// tenant scope has entered the organization.
/// </summary>
internal sealed class InstanceAdminOrganizationWork(IServiceScopeFactory scopes, ICurrentUser caller) : IInstanceAdminOrganizationWork
{
    public async Task<TResult> InOrganizationAsync<TWork, TResult>(Guid organizationId, Func<TWork, Task<TResult>> work)
        where TWork : notnull
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!caller.IsInstanceAdmin)
        {
            throw new InvalidOperationException("Only an instance admin acts in another organization than their own.");
        }

        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var tenant = scope.ServiceProvider.GetRequiredService<ITenantScope>() as TenantScope
                ?? throw new InvalidOperationException("The tenant scope cannot enter another organization for an instance admin.");
            tenant.EnterForInstanceAdmin(organizationId);
            return await work(scope.ServiceProvider.GetRequiredService<TWork>()).ConfigureAwait(false);
        }
    }
}
