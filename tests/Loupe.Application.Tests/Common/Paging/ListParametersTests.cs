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
}
