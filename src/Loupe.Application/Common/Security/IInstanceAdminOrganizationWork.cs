namespace Loupe.Application.Common.Security;

/// <summary>
/// Lets an instance admin act inside an organization that is not their own (the jobs admin API acting
/// on a run's job). The work runs in a unit of work of its own that has entered that organization, so
/// its reads and writes are held to it by row-level security as a job's are; the caller's own unit of
/// work (its audit trail, in the admin's organization) is untouched. Refused for anyone else.
/// </summary>
public interface IInstanceAdminOrganizationWork
{
    /// <summary>Resolves <typeparamref name="TWork"/> in a new unit of work entered in <paramref name="organizationId"/> and runs <paramref name="work"/> with it.</summary>
    /// <exception cref="InvalidOperationException">The caller is not an instance admin.</exception>
    Task<TResult> InOrganizationAsync<TWork, TResult>(Guid organizationId, Func<TWork, Task<TResult>> work)
        where TWork : notnull;
}
