using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Domain.Queries;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Queries.Safety;

namespace Loupe.Domain.Tests.Queries;

public sealed class SavedQueryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Organization = Guid.CreateVersion7();
    private static readonly Guid Owner = Guid.CreateVersion7();
    private static readonly ParameterDefinition Country = ParameterDefinition.Create("country", ParameterType.Text);

    private static DataSource Source(Guid? organizationId = null, int timeoutSeconds = 120) =>
        DataSource.Create(
            Guid.CreateVersion7(),
            organizationId ?? Organization,
            "Warehouse",
            ConnectionSettings.Postgresql("db.example.com", 5432, "dw", "reader"),
            null,
            DataSourceLimits.Default,
            Now,
            timeoutSeconds);

    private static SavedQuery NewQuery(DataSource? source = null, int? timeoutSeconds = null, IEnumerable<string>? tags = null) =>
        SavedQuery.Create(
            Guid.CreateVersion7(),
            Organization,
            Owner,
            "  Orders by country ",
            " Daily ",
            "SELECT * FROM orders WHERE country = {{ country }}",
            [Country],
            tags ?? ["Sales", " sales ", "KPI"],
            source ?? Source(),
            timeoutSeconds,
            Now);

    [Fact]
    public void Create_TrimsAndNormalizes_AndRecordsVersionOne()
    {
        var source = Source();

        var query = NewQuery(source, 60);

        query.Name.ShouldBe("Orders by country");
        query.Description.ShouldBe("Daily");
        query.Tags.ShouldBe(["sales", "kpi"]);
        query.DataSourceId.ShouldBe(source.Id);
        query.TimeoutSeconds.ShouldBe(60);
        query.OwnerId.ShouldBe(Owner);
        query.LatestVersion.ShouldBe(1);
        query.IsArchived.ShouldBeFalse();
        var version = query.NewVersions.ShouldHaveSingleItem();
        version.Number.ShouldBe(1);
        version.QueryId.ShouldBe(query.Id);
        version.OrganizationId.ShouldBe(Organization);
        version.Sql.ShouldBe(query.Sql);
        version.Parameters.ShouldBe([Country]);
        version.CreatedBy.ShouldBe(Owner);
        version.CreatedAt.ShouldBe(Now);
    }

    [Fact]
    public void Create_RefusesUnsafeSql_NamingTheToken()
    {
        var error = Should.Throw<DomainException>(() => SavedQuery.Create(
            Guid.CreateVersion7(), Organization, Owner, "q", null, "SELECT 1; DROP TABLE t", [], null, Source(), null, Now)).Error;

        error.Code.ShouldBe(SqlSafetyErrors.MultipleStatements.Code);
        error.Field.ShouldBe("sql");
        error.Message.ShouldContain("`DROP` at position 10");
    }

    [Fact]
    public void Create_RefusesPlaceholdersWithoutParameters() =>
        Should.Throw<DomainException>(() => SavedQuery.Create(
                Guid.CreateVersion7(), Organization, Owner, "q", null, "SELECT {{ x }}", [], null, Source(), null, Now))
            .Error.Code.ShouldBe("parameter.placeholder_unknown");

    [Fact]
    public void Create_RefusesADataSourceOfAnotherOrganization() =>
        Should.Throw<DomainException>(() => NewQuery(Source(Guid.CreateVersion7()))).Error.ShouldBe(SavedQueryErrors.DataSourceNotFound);

    [Theory]
    [InlineData(0)]
    [InlineData(121)]
    public void Create_RefusesATimeoutOutsideTheDataSources(int timeoutSeconds)
    {
        var error = Should.Throw<DomainException>(() => NewQuery(Source(timeoutSeconds: 120), timeoutSeconds)).Error;

        error.Field.ShouldBe("timeout_seconds");
        error.Message.ShouldContain("120");
    }

    [Theory]
    [InlineData("", "query.name_required")]
    [InlineData("   ", "query.name_required")]
    public void Create_RefusesABlankName(string name, string code) =>
        Should.Throw<DomainException>(() => SavedQuery.Create(
            Guid.CreateVersion7(), Organization, Owner, name, null, "SELECT 1", [], null, Source(), null, Now)).Error.Code.ShouldBe(code);

    [Fact]
    public void LengthLimits_AreEnforced()
    {
        SavedQuery.Create(Guid.CreateVersion7(), Organization, Owner, new string('n', 255), new string('d', 2000), "SELECT 1" + new string(' ', 99_992), [], null, Source(), null, Now)
            .Sql.Length.ShouldBe(100_000);
        Should.Throw<DomainException>(() => SavedQuery.Create(Guid.CreateVersion7(), Organization, Owner, new string('n', 256), null, "SELECT 1", [], null, Source(), null, Now))
            .Error.ShouldBe(SavedQueryErrors.NameTooLong);
        Should.Throw<DomainException>(() => SavedQuery.Create(Guid.CreateVersion7(), Organization, Owner, "n", new string('d', 2001), "SELECT 1", [], null, Source(), null, Now))
            .Error.ShouldBe(SavedQueryErrors.DescriptionTooLong);
        Should.Throw<DomainException>(() => SavedQuery.Create(Guid.CreateVersion7(), Organization, Owner, "n", null, "SELECT 1" + new string(' ', 99_993), [], null, Source(), null, Now))
            .Error.ShouldBe(SavedQueryErrors.SqlTooLong);
        Should.Throw<DomainException>(() => SavedQuery.Create(Guid.CreateVersion7(), Organization, Owner, "n", null, string.Empty, [], null, Source(), null, Now))
            .Error.ShouldBe(SavedQueryErrors.SqlRequired);
    }

    [Fact]
    public void TheNulCharacter_IsRefusedEverywhereItWouldReachPostgres()
    {
        Should.Throw<DomainException>(() => SavedQuery.Create(Guid.CreateVersion7(), Organization, Owner, "a\0b", null, "SELECT 1", [], null, Source(), null, Now))
            .Error.Field.ShouldBe("name");
        Should.Throw<DomainException>(() => SavedQuery.Create(Guid.CreateVersion7(), Organization, Owner, "n", "a\0", "SELECT 1", [], null, Source(), null, Now))
            .Error.Field.ShouldBe("description");
        Should.Throw<DomainException>(() => SavedQuery.Create(Guid.CreateVersion7(), Organization, Owner, "n", null, "SELECT '\0'", [], null, Source(), null, Now))
            .Error.Field.ShouldBe("sql");
        QueryTags.Check(["a\0"]).ShouldBe(SavedQueryErrors.TagInvalid);
        ParameterDefinition.Check("p", ParameterType.Text, "t\0", null, null, "p").ShouldHaveSingleItem().Field.ShouldBe("p.title");
        ParameterDefinition.Check("p", ParameterType.Enum, null, null, ["a\0"], "p").ShouldHaveSingleItem().Field.ShouldBe("p.options");
        ParameterDefinition.Check("p", ParameterType.Text, null, ParameterValue.OfText("\0"), null, "p").ShouldHaveSingleItem().Field.ShouldBe("p.default");
    }

    [Fact]
    public void Tags_AreLimitedInNumberAndLength_AfterNormalizing()
    {
        QueryTags.Normalize([.. Enumerable.Range(0, 25).Select(i => $"T{i % 20}"), "t0"]).Length.ShouldBe(20);
        QueryTags.Check([.. Enumerable.Range(0, 21).Select(i => $"t{i}")]).ShouldBe(SavedQueryErrors.TooManyTags);
        QueryTags.Check([new string('t', 50)]).ShouldBeNull();
        QueryTags.Check([new string('t', 51)]).ShouldBe(SavedQueryErrors.TagInvalid);
        QueryTags.Check(["  "]).ShouldBe(SavedQueryErrors.TagInvalid);
        QueryTags.Check([null]).ShouldBe(SavedQueryErrors.TagInvalid);
    }

    [Fact]
    public void Revise_RecordsANewVersionWhenTheSqlOrParametersChange_AndNothingForTheSameText()
    {
        var query = NewQuery();
        var editor = Guid.CreateVersion7();
        var later = Now.AddHours(1);

        query.Revise(query.Sql, [Country], editor, later).ShouldBeFalse();
        query.Revise("SELECT count(*) FROM orders WHERE country = {{ country }}", [Country], editor, later).ShouldBeTrue();
        query.Revise(query.Sql, [ParameterDefinition.Create("country", ParameterType.Text, "Country")], editor, later.AddHours(1)).ShouldBeTrue();

        query.LatestVersion.ShouldBe(3);
        query.UpdatedAt.ShouldBe(later.AddHours(1));
        query.NewVersions.Select(v => v.Number).ShouldBe([1, 2, 3]);
        query.NewVersions[1].Sql.ShouldStartWith("SELECT count(*)");
        query.NewVersions[1].CreatedBy.ShouldBe(editor);
        query.NewVersions[2].Parameters.ShouldHaveSingleItem().Title.ShouldBe("Country");
    }

    [Fact]
    public void Revise_RefusesSqlThatNoLongerMatchesTheParameters_AndChangesNothing()
    {
        var query = NewQuery();

        Should.Throw<DomainException>(() => query.Revise("SELECT 1", [Country], Owner, Now)).Error.Code.ShouldBe("parameter.never_used");

        query.LatestVersion.ShouldBe(1);
        query.Sql.ShouldContain("{{ country }}");
    }

    [Fact]
    public void AnArchivedQuery_IsReadOnlyUntilRestored()
    {
        var query = NewQuery();
        var later = Now.AddDays(1);

        query.Archive(later).ShouldBeTrue();
        query.Archive(later.AddDays(1)).ShouldBeFalse();

        query.IsArchived.ShouldBeTrue();
        query.ArchivedAt.ShouldBe(later);
        Should.Throw<DomainException>(() => query.Rename("x", later)).Error.ShouldBe(SavedQueryErrors.Archived);
        Should.Throw<DomainException>(() => query.Describe("x", later)).Error.Kind.ShouldBe(DomainErrorKind.Conflict);
        Should.Throw<DomainException>(() => query.Retag(["x"], later)).Error.ShouldBe(SavedQueryErrors.Archived);
        Should.Throw<DomainException>(() => query.Revise("SELECT 2", [], Owner, later)).Error.ShouldBe(SavedQueryErrors.Archived);
        Should.Throw<DomainException>(() => query.ChangeDataSource(Source(), null, later)).Error.ShouldBe(SavedQueryErrors.Archived);

        query.Restore(later.AddDays(2)).ShouldBeTrue();
        query.Restore(later.AddDays(3)).ShouldBeFalse();
        query.IsArchived.ShouldBeFalse();
        query.Rename("Back", later.AddDays(2));
        query.Name.ShouldBe("Back");
    }

    [Fact]
    public void Fork_CopiesEverythingButTheOwnerAndHistory()
    {
        var query = NewQuery(timeoutSeconds: 30);
        query.Revise("SELECT 2 WHERE {{ country }} IS NOT NULL", [Country], Owner, Now.AddHours(1));
        query.Archive(Now.AddHours(2));
        var forker = Guid.CreateVersion7();
        var copyId = Guid.CreateVersion7();

        var copy = query.Fork(copyId, forker, Now.AddHours(3));

        copy.Id.ShouldBe(copyId);
        copy.Name.ShouldBe("Copy of Orders by country");
        copy.OwnerId.ShouldBe(forker);
        copy.Sql.ShouldBe(query.Sql);
        copy.Parameters.ShouldBe(query.Parameters);
        copy.Description.ShouldBe(query.Description);
        copy.Tags.ShouldBe(query.Tags);
        copy.DataSourceId.ShouldBe(query.DataSourceId);
        copy.TimeoutSeconds.ShouldBe(30);
        copy.IsArchived.ShouldBeFalse();
        copy.LatestVersion.ShouldBe(1);
        var version = copy.NewVersions.ShouldHaveSingleItem();
        version.Number.ShouldBe(1);
        version.CreatedBy.ShouldBe(forker);
        version.QueryId.ShouldBe(copyId);
    }

    [Fact]
    public void Fork_KeepsTheNameWithinItsLimit()
    {
        var query = SavedQuery.Create(Guid.CreateVersion7(), Organization, Owner, new string('n', 255), null, "SELECT 1", [], null, Source(), null, Now);

        var copy = query.Fork(Guid.CreateVersion7(), Owner, Now);

        copy.Name.Length.ShouldBe(255);
        copy.Name.ShouldStartWith(SavedQuery.ForkPrefix);
    }

    [Fact]
    public void ChangeDataSource_ChecksTheTimeoutAgainstTheNewDataSource()
    {
        var query = NewQuery(timeoutSeconds: 100);
        var smaller = Source(timeoutSeconds: 50);

        Should.Throw<DomainException>(() => query.ChangeDataSource(smaller, 100, Now)).Error.Field.ShouldBe("timeout_seconds");
        query.ChangeDataSource(smaller, null, Now.AddHours(1));

        query.DataSourceId.ShouldBe(smaller.Id);
        query.TimeoutSeconds.ShouldBeNull();
        query.UpdatedAt.ShouldBe(Now.AddHours(1));
    }

    [Fact]
    public void EffectiveTimeout_IsTheQuerysOwnButNeverMoreThanTheDataSourceAllowsNow()
    {
        var source = Source(timeoutSeconds: 120);

        NewQuery(source).EffectiveTimeoutSeconds(source).ShouldBe(120);
        NewQuery(source, 30).EffectiveTimeoutSeconds(source).ShouldBe(30);
        NewQuery(source, 100).EffectiveTimeoutSeconds(Source(timeoutSeconds: 60)).ShouldBe(60);
    }

    [Fact]
    public void Edits_ThatChangeNothing_LeaveUpdatedAtAlone()
    {
        var query = NewQuery();
        var later = Now.AddDays(1);

        query.Rename(" Orders by country ", later);
        query.Describe("Daily", later);
        query.Retag(["SALES", "kpi"], later);

        query.UpdatedAt.ShouldBe(Now);
    }
}
