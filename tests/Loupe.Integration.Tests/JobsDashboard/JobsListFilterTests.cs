using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Api.JobsDashboard;
using Loupe.Application.Common.Jobs;

namespace Loupe.Integration.Tests.JobsDashboard;

/// <summary>The list page's filter, read from its address: what it writes it reads back, and no text makes it throw.</summary>
public sealed class JobsListFilterTests
{
    private static readonly Gen<DateTimeOffset?> Times = Gen.OneOf(
        Gen.Constant<DateTimeOffset?>(null),
        Gen.Choose(0, 400_000_000).Select(seconds => (DateTimeOffset?)new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(seconds)));

    private static readonly Gen<JobsListFilter> Filters =
        from state in Gen.OneOf(Gen.Constant<JobStatus?>(null), Gen.Elements(Enum.GetValues<JobStatus>()).Select(s => (JobStatus?)s))
        from kind in Gen.OneOf(Gen.Constant<string?>(null), Gen.Elements("query.run", "webhook.deliver", "a&b=c d", "ü/?#").Select(k => (string?)k))
        from organization in Gen.OneOf(Gen.Constant<Guid?>(null), ArbMap.Default.GeneratorFor<Guid>().Select(g => (Guid?)g))
        from start in Times
        from end in Times
        from cursor in Gen.OneOf(Gen.Constant<Guid?>(null), ArbMap.Default.GeneratorFor<Guid>().Select(g => (Guid?)g))
        from queue in Gen.OneOf(Gen.Constant<string?>(null), Gen.Elements("default", "reports", "webhooks.slow-1_a").Select(q => (string?)q))
        where start is null || end is null || end > start
        select new JobsListFilter(state, kind, organization, start, end, cursor, queue);

    [Property]
    public Property AFiltersOwnAddress_ReadsBackAsTheSameFilter() =>
        Prop.ForAll(Arb.From(Filters), filter =>
        {
            var values = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery("?" + filter.Query())
                .ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.Ordinal);
            return JobsListFilter.TryParse(values, out var read, out var error) && error is null && read == filter;
        });

    [Property]
    public bool AnyText_InAnyField_IsReadOrRefusedWithAMessage_NeverThrown(
        string? state, string? organization, string? from, string? to, string? cursor, string? kind, string? queue)
    {
        var query = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["state"] = state,
            ["organization_id"] = organization,
            ["from"] = from,
            ["to"] = to,
            ["cursor"] = cursor,
            ["kind"] = kind,
            ["queue"] = queue,
        };
        return JobsListFilter.TryParse(query, out _, out var error) ? error is null : !string.IsNullOrWhiteSpace(error);
    }

    [Theory]
    [InlineData("state", "finished")]
    [InlineData("organization_id", "acme")]
    [InlineData("from", "yesterday")]
    [InlineData("cursor", "abc")]
    [InlineData("queue", "Reports")]
    [InlineData("queue", "a b")]
    public void ABadValue_IsRefused(string field, string value)
    {
        JobsListFilter.TryParse(new Dictionary<string, string?> { [field] = value }, out _, out var error).ShouldBeFalse();
        error.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void ATimeWithoutAZone_IsUtc_AndEmptyFieldsMeanAny()
    {
        JobsListFilter.TryParse(new Dictionary<string, string?> { ["from"] = "2026-05-01T08:00", ["kind"] = " ", ["state"] = "" }, out var filter, out _).ShouldBeTrue();
        filter.ShouldBe(new JobsListFilter(From: new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void AQueuesLink_ListsWhatWaitsInIt()
    {
        JobsListFilter.QueuedIn("reports").ShouldBe("/jobs/list?state=queued&queue=reports");
    }
}
