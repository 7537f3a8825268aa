using Loupe.Application.Common.Paging;
using static Loupe.Application.Tests.Common.Paging.PagingTestSupport;

namespace Loupe.Application.Tests.Common.Paging;

public class ListFilterTests
{
    [Fact]
    public void Parse_WhenNothingGiven_FiltersNothing()
    {
        var filter = ListFilter.Parse(Query(("page", "2"), ("unrelated", "x")));

        filter.Text.ShouldBeNull();
        filter.Tags.ShouldBeEmpty();
        filter.CreatedAfter.ShouldBeNull();
        filter.OwnerId.ShouldBeNull();
        filter.Status.ShouldBeNull();
    }

    [Fact]
    public void Parse_WhenAllValid_ReadsEveryFilter()
    {
        var owner = Guid.CreateVersion7();

        var filter = ListFilter.Parse(Query(
            ("q", "  revenue "),
            ("tags", "finance, weekly,finance"),
            ("created_after", "2025-01-01T00:00:00Z"),
            ("created_before", "2025-02-01T00:00:00+01:00"),
            ("updated_after", "2025-01-01t10:00:00.123456789z"),
            ("updated_before", "2025-03-01T00:00:00-05:30"),
            ("owner_id", owner.ToString()),
            ("status", "active")));

        filter.Text.ShouldBe("revenue");
        filter.Tags.ShouldBe(["finance", "weekly"]);
        filter.CreatedAfter.ShouldBe(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        filter.CreatedBefore.ShouldBe(new DateTimeOffset(2025, 1, 31, 23, 0, 0, TimeSpan.Zero));
        filter.CreatedBefore!.Value.Offset.ShouldBe(TimeSpan.Zero);
        filter.UpdatedAfter.ShouldBe(new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_567));
        filter.UpdatedBefore.ShouldBe(new DateTimeOffset(2025, 3, 1, 5, 30, 0, TimeSpan.Zero));
        filter.OwnerId.ShouldBe(owner);
        filter.Status.ShouldBe("active");
    }

    [Fact]
    public void Parse_WhenTextTooLong_NamesQ()
    {
        var error = ShouldFailValidation(() => ListFilter.Parse(Query(("q", new string('a', 201)))));

        error.Errors["q"].ShouldHaveSingleItem().ShouldContain("200");
    }

    [Fact]
    public void Parse_WhenTextAtLimit_Accepts()
    {
        ListFilter.Parse(Query(("q", new string('a', 200)))).Text!.Length.ShouldBe(200);
    }

    [Theory]
    [InlineData("a,,b", "empty items")]
    [InlineData("a,", "empty items")]
    [InlineData("a, ,b", "empty items")]
    public void Parse_WhenTagEmpty_NamesTags(string tags, string expected)
    {
        var error = ShouldFailValidation(() => ListFilter.Parse(Query(("tags", tags))));

        error.Errors["tags"].ShouldHaveSingleItem().ShouldContain(expected);
    }

    [Fact]
    public void Parse_WhenMoreThanTwentyTags_NamesTags()
    {
        var tags = string.Join(',', Enumerable.Range(0, 21).Select(i => $"t{i}"));

        var error = ShouldFailValidation(() => ListFilter.Parse(Query(("tags", tags))));

        error.Errors["tags"].ShouldHaveSingleItem().ShouldContain("at most 20");
    }

    [Fact]
    public void Parse_WhenTagTooLong_NamesTags()
    {
        var error = ShouldFailValidation(() => ListFilter.Parse(Query(("tags", "ok," + new string('x', 51)))));

        error.Errors["tags"].ShouldHaveSingleItem().ShouldContain("50 characters");
    }

    [Theory]
    [InlineData("created_after")]
    [InlineData("created_before")]
    [InlineData("updated_after")]
    [InlineData("updated_before")]
    public void Parse_WhenTimestampInvalid_NamesThatField(string field)
    {
        var error = ShouldFailValidation(() => ListFilter.Parse(Query((field, "yesterday"))));

        error.Errors.Keys.ShouldBe([field]);
        error.Errors[field].ShouldHaveSingleItem().ShouldContain("RFC 3339");
    }

    [Theory]
    [InlineData("2025-01-01")]
    [InlineData("2025-01-01T00:00:00")]
    [InlineData("2025-01-01 00:00:00Z")]
    [InlineData("2025-01-01T00:00:00 01:00")]
    [InlineData("2025-02-30T00:00:00Z")]
    [InlineData("2025-01-01T24:00:00Z")]
    [InlineData("2025-01-01T00:00:00+15:00")]
    [InlineData("01/02/2025 10:00:00 +00:00")]
    [InlineData("2025-01-01T00:00:00.Z")]
    public void Parse_WhenTimestampNotRfc3339_RefusesIt(string value)
    {
        var error = ShouldFailValidation(() => ListFilter.Parse(Query(("created_after", value))));

        error.Errors.Keys.ShouldBe(["created_after"]);
    }

    [Theory]
    [InlineData("created")]
    [InlineData("updated")]
    public void Parse_WhenAfterIsLaterThanBefore_NamesAfterField(string prefix)
    {
        var error = ShouldFailValidation(() => ListFilter.Parse(Query(
            ($"{prefix}_after", "2025-02-01T00:00:00Z"),
            ($"{prefix}_before", "2025-01-01T00:00:00Z"))));

        error.Errors.Keys.ShouldBe([$"{prefix}_after"]);
        error.Errors[$"{prefix}_after"].ShouldHaveSingleItem().ShouldBe($"{prefix}_after must not be later than {prefix}_before.");
    }

    [Fact]
    public void Parse_WhenAfterEqualsBeforeInAnotherOffset_Accepts()
    {
        var filter = ListFilter.Parse(Query(
            ("created_after", "2025-01-01T01:00:00+01:00"),
            ("created_before", "2025-01-01T00:00:00Z")));

        filter.CreatedAfter.ShouldBe(filter.CreatedBefore);
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("0190f5c27b1e7cc09a4e5f1f0f6f2d3a")]
    [InlineData("{0190f5c2-7b1e-7cc0-9a4e-5f1f0f6f2d3a}")]
    public void Parse_WhenOwnerNotUuid_NamesOwnerId(string value)
    {
        var error = ShouldFailValidation(() => ListFilter.Parse(Query(("owner_id", value))));

        error.Errors["owner_id"].ShouldHaveSingleItem().ShouldContain("UUID");
    }

    [Fact]
    public void Parse_WhenStatusNotAllowed_NamesAllowedValues()
    {
        var error = ShouldFailValidation(() => ListFilter.Parse(Query(("status", "gone")), ["active", "archived"]));

        error.Errors["status"].ShouldHaveSingleItem().ShouldContain("active, archived");
    }

    [Fact]
    public void Parse_WhenStatusTooLong_NamesStatus()
    {
        var error = ShouldFailValidation(() => ListFilter.Parse(Query(("status", new string('s', 51)))));

        error.Errors["status"].ShouldHaveSingleItem().ShouldContain("50");
    }

    [Fact]
    public void Parse_WhenSeveralFiltersInvalid_ReportsAllAtOnce()
    {
        var error = ShouldFailValidation(() => ListFilter.Parse(Query(
            ("q", new string('a', 201)),
            ("tags", ","),
            ("created_after", "x"),
            ("updated_after", "2025-02-01T00:00:00Z"),
            ("updated_before", "2025-01-01T00:00:00Z"),
            ("owner_id", "x"))));

        error.Errors.Keys.ShouldBe(["q", "tags", "created_after", "updated_after", "owner_id"], ignoreOrder: true);
    }
}
