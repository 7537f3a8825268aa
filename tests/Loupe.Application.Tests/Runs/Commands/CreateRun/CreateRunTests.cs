using System.Text.Json;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Runs;
using Loupe.Application.Runs.Commands.CreateRun;
using Loupe.Application.Tests.Common.InMemory;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Domain.Organizations;
using Loupe.Domain.Runs;

namespace Loupe.Application.Tests.Runs.Commands.CreateRun;

/// <summary>
/// Starting an ad-hoc run: what is refused before anything is queued (an unknown data source, SQL the
/// scanner refuses, a timeout above the data source's, a full queue), the run and its job queued
/// together, and an earlier result answered from the cache.
/// </summary>
public sealed class CreateRunTests : IDisposable
{
    private const int QueueCap = 3;

    private readonly ApplicationHarness _app = new(RunSettings.Default with { MaxQueuedPerOrganization = QueueCap });
    private readonly Organization _organization;
    private readonly DataSource _source;

    public CreateRunTests()
    {
        _organization = _app.AddOrganization();
        _source = _app.AddDataSource(_organization, queryTimeoutSeconds: 60);
        _app.SignInAs(_app.AddUser(_organization, Role.Editor));
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task ARun_IsQueuedTogetherWithItsJob_InOneSave()
    {
        var run = await _app.SendAsync(new CreateRunCommand(_source.Id, "select 1 as n"));

        run.Status.ShouldBe("queued");
        run.FromCache.ShouldBeFalse();
        var stored = _app.Store.All<QueryRun>().ShouldHaveSingleItem();
        stored.Id.ShouldBe(run.Id);
        stored.TimeoutSeconds.ShouldBe(60, "the data source's timeout when the request names none");
        var (jobId, job) = _app.Jobs.Enqueued.ShouldHaveSingleItem();
        stored.JobId.ShouldBe(jobId);
        job.Kind.ShouldBe(RunQueryJobHandler.JobKind);
        job.OrganizationId.ShouldBe(_organization.Id);
        JsonDocument.Parse(job.Payload).RootElement.GetProperty("RunId").GetGuid().ShouldBe(run.Id);
        _app.Store.Saves.ShouldBe(1);
    }

    [Fact]
    public async Task AnotherOrganizationsDataSource_IsRefusedAsUnknown()
    {
        var other = _app.AddDataSource(_app.AddOrganization("Other"));

        var refused = await Should.ThrowAsync<ValidationFailedException>(() => _app.SendAsync(new CreateRunCommand(other.Id, "select 1")));

        refused.Errors.Keys.ShouldBe(["datasource_id"]);
        NothingQueued();
    }

    [Fact]
    public async Task SqlTheScannerRefuses_IsA400OnSql_AndNothingIsQueued()
    {
        var refused = await Should.ThrowAsync<ValidationFailedException>(() => _app.SendAsync(new CreateRunCommand(_source.Id, "delete from orders")));

        refused.Errors.Keys.ShouldBe(["sql"]);
        NothingQueued();
    }

    [Theory]
    [InlineData(61)]
    [InlineData(3600)]
    public async Task ATimeoutAboveTheDataSources_IsRefused(int seconds)
    {
        var refused = await Should.ThrowAsync<DomainException>(() => _app.SendAsync(new CreateRunCommand(_source.Id, "select 1", TimeoutSeconds: seconds)));

        refused.Error.Code.ShouldBe("run.timeout_out_of_range");
        refused.Error.Field.ShouldBe("timeout_seconds");
        refused.Error.Message.ShouldContain("60 seconds");
        NothingQueued();
    }

    [Fact]
    public async Task AShorterTimeout_IsKept()
    {
        await _app.SendAsync(new CreateRunCommand(_source.Id, "select 1", TimeoutSeconds: 5));

        _app.Store.All<QueryRun>().ShouldHaveSingleItem().TimeoutSeconds.ShouldBe(5);
    }

    [Fact]
    public async Task WhenTheOrganizationsQueueIsFull_TheNextRunIsRefused_WhileAnotherOrganizationsQueueDoesNotCount()
    {
        var other = _app.AddOrganization("Other");
        var otherSource = _app.AddDataSource(other);
        _app.SignInAs(_app.AddUser(other, Role.Editor));
        for (var i = 0; i < QueueCap; i++)
        {
            await _app.SendAsync(new CreateRunCommand(otherSource.Id, $"select {i}"));
        }

        _app.SignInAs(_app.AddUser(_organization, Role.Editor));
        for (var i = 0; i < QueueCap; i++)
        {
            await _app.SendAsync(new CreateRunCommand(_source.Id, $"select {i}"));
        }

        var refused = await Should.ThrowAsync<DomainException>(() => _app.SendAsync(new CreateRunCommand(_source.Id, "select 'one too many'")));

        refused.Error.ShouldBe(RunErrors.QueueFull(QueueCap));
        _app.Store.All<QueryRun>().Count(r => r.OrganizationId == _organization.Id).ShouldBe(QueueCap);
    }

    [Fact]
    public async Task ARunThatLeftTheQueue_MakesRoomForAnother()
    {
        for (var i = 0; i < QueueCap; i++)
        {
            await _app.SendAsync(new CreateRunCommand(_source.Id, $"select {i}"));
        }

        _app.Store.All<QueryRun>()[0].Start(_app.Clock.Now);

        await _app.SendAsync(new CreateRunCommand(_source.Id, "select 'room again'"));

        _app.Store.All<QueryRun>().Count.ShouldBe(QueueCap + 1);
    }

    [Fact]
    public async Task WithMaxAge_AFreshEnoughResultOfTheSameSql_IsAnsweredFromTheCache()
    {
        var first = await SucceededRunAsync("select 42 as answer");
        _app.Clock.Advance(TimeSpan.FromMinutes(5));

        var cached = await _app.SendAsync(new CreateRunCommand(_source.Id, "select 42 as answer", MaxAgeSeconds: 600));

        cached.FromCache.ShouldBeTrue();
        cached.Id.ShouldBe(first);
        _app.Store.All<QueryRun>().Count.ShouldBe(1);
        _app.Jobs.Enqueued.Count.ShouldBe(1);
    }

    [Fact]
    public async Task WithMaxAge_AResultOlderThanThatOrOfOtherSql_IsNotUsed()
    {
        var first = await SucceededRunAsync("select 42 as answer");
        _app.Clock.Advance(TimeSpan.FromMinutes(11));

        var tooOld = await _app.SendAsync(new CreateRunCommand(_source.Id, "select 42 as answer", MaxAgeSeconds: 600));
        var otherSql = await _app.SendAsync(new CreateRunCommand(_source.Id, "select 43 as answer", MaxAgeSeconds: 3600));

        tooOld.FromCache.ShouldBeFalse();
        tooOld.Id.ShouldNotBe(first);
        otherSql.FromCache.ShouldBeFalse();
        _app.Store.All<QueryRun>().Count.ShouldBe(3);
    }

    /// <summary>A run of <paramref name="sql"/> queued through the handler, then finished as its job would.</summary>
    private async Task<Guid> SucceededRunAsync(string sql)
    {
        var id = (await _app.SendAsync(new CreateRunCommand(_source.Id, sql))).Id;
        var run = _app.Store.All<QueryRun>().Single(r => r.Id == id);
        var attempt = run.Start(_app.Clock.Now);
        run.Succeed(attempt, 1, false, 10, _app.Clock.Now, _app.Clock.Now.AddDays(7));
        return id;
    }

    private void NothingQueued()
    {
        _app.Store.All<QueryRun>().ShouldBeEmpty();
        _app.Jobs.Enqueued.ShouldBeEmpty();
        _app.Store.Saves.ShouldBe(0);
    }
}
