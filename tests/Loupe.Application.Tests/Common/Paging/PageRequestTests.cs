using Loupe.Application.Common.Paging;
using static Loupe.Application.Tests.Common.Paging.PagingTestSupport;

namespace Loupe.Application.Tests.Common.Paging;

public class PageRequestTests
{
    [Fact]
    public void Parse_WhenParametersMissing_UsesFirstPageOfTwenty()
    {
        var request = PageRequest.Parse(Query());

        request.Page.ShouldBe(1);
        request.PerPage.ShouldBe(20);
    }

    [Fact]
    public void Parse_WhenParametersBlank_UsesDefaults()
    {
        var request = PageRequest.Parse(Query(("page", ""), ("per_page", "  ")));

        request.ShouldBe(PageRequest.Default);
    }

    [Fact]
    public void Parse_WhenValid_ReadsPageAndPerPage()
    {
        var request = PageRequest.Parse(Query(("page", "3"), ("per_page", "100")));

        request.Page.ShouldBe(3);
        request.PerPage.ShouldBe(100);
        request.Skip.ShouldBe(200);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("99999999999")]
    public void Parse_WhenPageInvalid_NamesPage(string page)
    {
        var error = ShouldFailValidation(() => PageRequest.Parse(Query(("page", page))));

        error.Errors.Keys.ShouldBe(["page"]);
        error.Errors["page"].ShouldHaveSingleItem().ShouldContain("page");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("-5")]
    [InlineData("ten")]
    public void Parse_WhenPerPageInvalid_NamesPerPageAndItsRange(string perPage)
    {
        var error = ShouldFailValidation(() => PageRequest.Parse(Query(("per_page", perPage))));

        error.Errors.Keys.ShouldBe(["per_page"]);
        error.Errors["per_page"].ShouldHaveSingleItem().ShouldContain("1 to 100");
    }

    [Fact]
    public void Parse_WhenBothInvalid_ReportsBoth()
    {
        var error = ShouldFailValidation(() => PageRequest.Parse(Query(("page", "0"), ("per_page", "500"))));

        error.Errors.Keys.ShouldBe(["page", "per_page"], ignoreOrder: true);
    }

    [Fact]
    public void Create_WhenOffsetWouldOverflow_RefusesPage()
    {
        var error = ShouldFailValidation(() => PageRequest.Create(int.MaxValue, 100));

        error.Errors["page"].ShouldHaveSingleItem().ShouldContain("too large");
    }

    [Fact]
    public void Create_WhenLastReachablePage_Accepts()
    {
        var request = PageRequest.Create((int.MaxValue / 100) + 1, 100);

        request.Skip.ShouldBeLessThanOrEqualTo(int.MaxValue);
    }
}
