using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Application.Common.Paging;

namespace Loupe.Application.Tests.Common.Paging;

public class PaginationTests
{
    [Fact]
    public void Create_WhenNoRows_HasNoPages()
    {
        var pagination = Pagination.Create(PageRequest.Default, 0);

        pagination.TotalPages.ShouldBe(0);
        pagination.HasNext.ShouldBeFalse();
        pagination.HasPrev.ShouldBeFalse();
    }

    [Fact]
    public void Create_WhenTotalNegative_Throws()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Pagination.Create(PageRequest.Default, -1));
    }

    [Property]
    public Property Create_ForAnyTotalAndPage_IsConsistent()
    {
        var cases =
            from perPage in Gen.Choose(1, PageRequest.MaxPerPage)
            from page in Gen.Frequency((3, Gen.Choose(1, 50)), (1, Gen.Choose(1, int.MaxValue / perPage)))
            from total in Gen.Frequency((3, Gen.Choose(0, 5000)), (1, Gen.Choose(0, int.MaxValue)))
            select (Page: page, PerPage: perPage, Total: total);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var pagination = Pagination.Create(PageRequest.Create(c.Page, c.PerPage), c.Total);

            var expectedPages = (long)Math.Ceiling(c.Total / (double)c.PerPage);
            var rowsBeforeLastPage = (long)(pagination.TotalPages - 1) * c.PerPage;
            return pagination.Page == c.Page
                   && pagination.PerPage == c.PerPage
                   && pagination.Total == c.Total
                   && pagination.TotalPages == expectedPages
                   && (c.Total == 0 || (rowsBeforeLastPage < c.Total && (long)pagination.TotalPages * c.PerPage >= c.Total))
                   && pagination.HasNext == (c.Page < pagination.TotalPages)
                   && pagination.HasNext == ((long)c.Page * c.PerPage < c.Total)
                   && pagination.HasPrev == (c.Page > 1);
        });
    }
}
