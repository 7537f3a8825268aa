using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.SavedQueries.Commands.UpdateSavedQuery;
using Loupe.Application.Tests.Common.InMemory;
using Loupe.Domain.Audit;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using Loupe.Domain.Users;

namespace Loupe.Application.Tests.SavedQueries.Commands.UpdateSavedQuery;

/// <summary>Changing a saved query: which changes make a new version, and what refuses the change.</summary>
public sealed class UpdateSavedQueryTests : IDisposable
{
    private readonly ApplicationHarness _app = new();
    private readonly Organization _organization;
    private readonly DataSource _source;
    private readonly User _editor;
    private readonly SavedQuery _query;

    public UpdateSavedQueryTests()
    {
        _organization = _app.AddOrganization();
        _source = _app.AddDataSource(_organization);
        var owner = _app.AddUser(_organization, Role.Admin);
        _query = SavedQuery.Create(
            Guid.CreateVersion7(), _organization.Id, owner.Id, "orders", null, "select * from orders", [], null, _source, null, _app.Clock.Now);
        _app.Store.Seed(_query);
        _editor = _app.AddUser(_organization, Role.Editor);
        _app.SignInAs(_editor);
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task NewSql_IsANewVersion_ByWhoeverChangedIt()
    {
        _app.Clock.Advance(TimeSpan.FromHours(1));

        var updated = await _app.SendAsync(new UpdateSavedQueryCommand(_query.Id, Sql: "select id from orders"));

        _query.LatestVersion.ShouldBe(2);
        var version = _query.NewVersions[^1];
        version.Number.ShouldBe(2);
        version.Sql.ShouldBe("select id from orders");
        version.CreatedBy.ShouldBe(_editor.Id);
        version.CreatedAt.ShouldBe(_app.Clock.Now);
        updated.Value.Sql.ShouldBe("select id from orders");
        _app.Audit.Actions.ShouldBe([AuditActions.QueryUpdated]);
    }

    [Fact]
    public async Task ANewName_OrTheSameSqlAgain_IsNoNewVersion()
    {
        await _app.SendAsync(new UpdateSavedQueryCommand(_query.Id, Name: "all orders"));
        await _app.SendAsync(new UpdateSavedQueryCommand(_query.Id, Sql: "select * from orders"));

        _query.Name.ShouldBe("all orders");
        _query.LatestVersion.ShouldBe(1);
        _query.NewVersions.ShouldHaveSingleItem().Number.ShouldBe(1);
    }

    [Fact]
    public async Task SqlUsingAParameterItDoesNotDefine_IsRefused_AndNothingElseOfTheRequestChanges()
    {
        var refused = await Should.ThrowAsync<ValidationFailedException>(() =>
            _app.SendAsync(new UpdateSavedQueryCommand(_query.Id, Name: "by country", Sql: "select * from orders where country = {{ country }}")));

        refused.Errors.ShouldNotBeEmpty();
        _query.Name.ShouldBe("orders");
        _query.Sql.ShouldBe("select * from orders");
        _query.LatestVersion.ShouldBe(1);
        _app.Store.Saves.ShouldBe(0);
    }

    [Fact]
    public async Task AnArchivedQuery_CannotBeChanged()
    {
        _query.Archive(_app.Clock.Now);

        var refused = await Should.ThrowAsync<DomainException>(() => _app.SendAsync(new UpdateSavedQueryCommand(_query.Id, Name: "revived")));

        refused.Error.ShouldBe(SavedQueryErrors.Archived);
        _query.Name.ShouldBe("orders");
    }

    [Fact]
    public async Task AStaleIfMatch_Is412_AndChangesNothing()
    {
        var stale = new VersionPrecondition([_query.RowVersion + 1]);

        await Should.ThrowAsync<PreconditionFailedException>(() => _app.SendAsync(new UpdateSavedQueryCommand(_query.Id, Sql: "select 1", IfMatch: stale)));

        _query.Sql.ShouldBe("select * from orders");
        _app.Store.Saves.ShouldBe(0);
    }

    [Fact]
    public async Task AViewer_MayNotChangeIt()
    {
        _app.SignInAs(_app.AddUser(_organization, Role.Viewer));

        await Should.ThrowAsync<ForbiddenException>(() => _app.SendAsync(new UpdateSavedQueryCommand(_query.Id, Name: "mine now")));

        _query.Name.ShouldBe("orders");
    }
}
