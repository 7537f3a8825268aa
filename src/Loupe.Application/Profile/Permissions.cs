using Loupe.Application.ApiKeys.Commands.CreateApiKey;
using Loupe.Application.Audit.Queries.ListAuditEvents;
using Loupe.Application.Auth.Queries.ListSessions;
using Loupe.Application.Common.Security;
using Loupe.Application.DataSources.Commands.CreateDataSource;
using Loupe.Application.DataSources.Queries.ListDataSources;
using Loupe.Application.Organizations.Commands.CreateInvitation;
using Loupe.Application.Organizations.Commands.UpdateOrganization;
using Loupe.Application.Organizations.Queries.ListUsers;
using Loupe.Application.Profile.Commands.UpdateMe;
using Loupe.Application.Runs.Commands.CreateRun;
using Loupe.Application.Runs.Commands.RunSavedQuery;
using Loupe.Application.Runs.Queries.ListRuns;
using Loupe.Application.SavedQueries.Commands.CreateSavedQuery;
using Loupe.Application.SavedQueries.Queries.ListSavedQueries;

namespace Loupe.Application.Profile;

/// <summary>
/// What the caller may do, by name, for a client to show or hide what it offers. Each permission
/// is the right to send one request, decided by <see cref="AuthorizationPolicy"/> from that
/// request's own <see cref="AuthorizeAttribute"/>: the list cannot say yes where the endpoint says no.
/// </summary>
public static class Permissions
{
    /// <summary>Each permission's name and the request whose requirement decides it, in the order listed.</summary>
    public static readonly IReadOnlyList<(string Name, Type Request)> Catalogue =
    [
        ("queries.read", typeof(ListSavedQueriesQuery)),
        ("queries.run", typeof(RunSavedQueryCommand)),
        ("queries.manage", typeof(CreateSavedQueryCommand)),
        ("runs.read", typeof(ListRunsQuery)),
        ("runs.ad_hoc", typeof(CreateRunCommand)),
        ("datasources.read", typeof(ListDataSourcesQuery)),
        ("datasources.manage", typeof(CreateDataSourceCommand)),
        ("members.read", typeof(ListUsersQuery)),
        ("members.manage", typeof(CreateInvitationCommand)),
        ("organization.manage", typeof(UpdateOrganizationCommand)),
        ("audit.read", typeof(ListAuditEventsQuery)),
        ("api_keys.manage", typeof(CreateApiKeyCommand)),
        ("sessions.manage", typeof(ListSessionsQuery)),
        ("account.manage", typeof(UpdateMeCommand)),
    ];

    /// <summary>The names of the permissions <paramref name="caller"/> has.</summary>
    public static IReadOnlyList<string> Of(ICurrentUser caller) =>
        [.. Catalogue.Where(p => AuthorizationPolicy.Allows(p.Request, caller)).Select(p => p.Name)];
}
