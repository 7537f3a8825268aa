using Loupe.Application.Common.Paging;
using static Loupe.Application.Tests.Common.Paging.PagingTestSupport;

namespace Loupe.Application.Tests.Common.Paging;

public class ListParametersTests
{
    [Fact]
    public void Parse_WhenValid_ReadsPageSortAndFilter()
    {
        var parameters = ListParameters.Parse(Query(("page", "2"), ("per_page", "50"), ("sort", "name"), ("q", "x")), Sorts);

        parameters.Page.ShouldBe(PageRequest.Create(2, 50));
        parameters.Sort.ToString().ShouldBe("name");
        parameters.Filter.Text.ShouldBe("x");
    }

    [Fact]
    public void Parse_WhenPageSortAndFiltersInvalid_ReportsThemInOneFailure()
    {
        var error = ShouldFailValidation(() => ListParameters.Parse(
            Query(("page", "0"), ("per_page", "101"), ("sort", "shoe_size"), ("owner_id", "me"), ("status", "x")),
            Sorts,
            ["active"]));

        error.Errors.Keys.ShouldBe(["page", "per_page", "sort", "owner_id", "status"], ignoreOrder: true);
    }

    [Fact]
    public void Parse_ReadsTheResourcesOwnIdFilters_BlankOnesAsNotGiven()
    {
        var id = Guid.CreateVersion7();

        var parameters = ListParameters.Parse(Query(("datasource_id", $" {id} "), ("query_id", " ")), Sorts, idFilters: ["datasource_id", "query_id"]);

        parameters.Filter.IdOf("datasource_id").ShouldBe(id);
        parameters.Filter.IdOf("query_id").ShouldBeNull();
        parameters.Filter.IdOf("not_a_filter").ShouldBeNull();
    }

    [Fact]
    public void Parse_WhenAnIdFilterIsNotAUuid_ReportsItWithTheOtherProblems()
    {
        var error = ShouldFailValidation(() => ListParameters.Parse(
            Query(("datasource_id", "nope"), ("query_id", "{0190f5c2-7b1e-7cc0-9a4e-5f1f0f6f2d3a}"), ("per_page", "0")),
            Sorts,
            idFilters: ["datasource_id", "query_id"]));

        error.Errors.Keys.ShouldBe(["datasource_id", "query_id", "per_page"], ignoreOrder: true);
        error.Errors["datasource_id"].ShouldHaveSingleItem().ShouldContain("UUID");
    }

    [Fact]
    public void Parse_IgnoresIdParametersTheResourceDoesNotFilterOn()
    {
        var parameters = ListParameters.Parse(Query(("datasource_id", "nope")), Sorts);

        parameters.Filter.Ids.ShouldBeEmpty();
    }

    [Fact]
    public void Parse_ReadsTheResourcesOtherClosedSetFilters_BesideItsStatus()
    {
        var parameters = ListParameters.Parse(
            Query(("type", "bar"), ("status", "archived")), Sorts, ["active", "archived"], choiceFilters: TypeFilter);

        parameters.Filter.ChoiceOf("type").ShouldBe("bar");
        parameters.Filter.Status.ShouldBe("archived");
        parameters.Filter.ChoiceOf("colour").ShouldBeNull();
    }

    [Fact]
    public void Parse_WhenAClosedSetFilterHasAnUnknownValue_NamesItsAllowedValuesWithTheOtherProblems()
    {
        var error = ShouldFailValidation(() => ListParameters.Parse(
            Query(("type", "donut"), ("status", "gone")), Sorts, ["active", "archived"], choiceFilters: TypeFilter));

        error.Errors.Keys.ShouldBe(["type", "status"], ignoreOrder: true);
        error.Errors["type"].ShouldHaveSingleItem().ShouldBe("Unknown type. Allowed values: bar, line.");
    }

    private static Dictionary<string, IReadOnlyList<string>> TypeFilter => new() { ["type"] = ["bar", "line"] };
}
