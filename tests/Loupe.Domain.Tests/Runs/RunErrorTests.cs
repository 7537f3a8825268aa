using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Runs;

namespace Loupe.Domain.Tests.Runs;

/// <summary>What of a database's error a run shows: the position always, the hint and detail only for the classes about the person's own SQL and values.</summary>
public sealed class RunErrorTests
{
    [Theory]
    [InlineData("42703")]
    [InlineData("42883")]
    [InlineData("22P02")]
    [InlineData("22012")]
    [InlineData("0A000")]
    [InlineData("21000")]
    public void HintAndDetail_AreShown_ForErrorsAboutTheSqlAndItsValues(string code)
    {
        var error = RunError.FromDatabase(code, "failed", 3, 7, "try this", "because of that");

        error.Hint.ShouldBe("try this");
        error.Detail.ShouldBe("because of that");
        error.Line.ShouldBe(3);
        error.Column.ShouldBe(7);
    }

    [Theory]
    [InlineData("23505")]
    [InlineData("08006")]
    [InlineData("28P01")]
    [InlineData("P0001")]
    [InlineData("XX000")]
    [InlineData("57014")]
    [InlineData("LP004")]
    public void HintAndDetail_AreLeftOut_ForOtherClasses_ButThePositionStays(string code)
    {
        var error = RunError.FromDatabase(code, "failed", 1, 2, "host db.internal", "Key (email)=(a@b.c) already exists.");

        error.Hint.ShouldBeNull();
        error.Detail.ShouldBeNull();
        error.Line.ShouldBe(1);
        error.Column.ShouldBe(2);
    }

    [Fact]
    public void ARun_LocatesADatabasePosition_InTheSqlAsWritten()
    {
        const string written = "select {{ a }},\n  😀x, nosuch";
        var bound = QueryParameters.Bind(written, [ParameterDefinition.Create("a", ParameterType.Text)], new Dictionary<string, ParameterValue?> { ["a"] = ParameterValue.OfText("v") });
        var run = QueryRun.Queue(
            Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), null, null, bound.Sql, "[]", new string('k', 64), 10, 10, DateTimeOffset.UnixEpoch,
            new QueryRun.RunSource(written, bound.SourceMap.Encode(), null));

        // PostgreSQL counts characters: the emoji is one, though two UTF-16 units.
        var position = bound.Sql[..bound.Sql.IndexOf("nosuch", StringComparison.Ordinal)].EnumerateRunes().Count() + 1;

        run.Locate(position).ShouldBe(new SqlLocation(2, 8));
        run.Locate(null).ShouldBeNull();
        run.Locate(10_000).ShouldBeNull();
        run.SourceSql.ShouldBe(written);
    }
}
