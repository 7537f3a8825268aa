using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Api.JobsDashboard;

namespace Loupe.Integration.Tests.JobsDashboard;

/// <summary>What the dashboard's HTML writer does to text from the database: nothing of it can become markup.</summary>
public sealed class JobsDashboardHtmlTests
{
    [Property]
    public Property AnyText_IsWrittenWithoutACharacterThatOpensMarkupOrEndsAnAttribute() =>
        Prop.ForAll(
            Arb.From(Gen.OneOf(ArbMap.Default.GeneratorFor<string>(), Gen.Elements("<script>alert(1)</script>", "\" onmouseover=\"x", "'><img src=x>", "&amp;<"))),
            text =>
            {
                var written = JobsDashboardHtml.Text(text ?? string.Empty);
                return !written.Contains('<', StringComparison.Ordinal)
                       && !written.Contains('>', StringComparison.Ordinal)
                       && !written.Contains('"', StringComparison.Ordinal)
                       && !written.Contains('\'', StringComparison.Ordinal);
            });

    [Property]
    public bool AnErrorSummary_IsItsFirstLine_CutToTheLimit(NonNull<string> error)
    {
        var summary = JobsDashboardHtml.ErrorSummary(error.Get);
        var firstLine = error.Get.Split('\n')[0].TrimEnd('\r');
        return !summary.Contains('\n', StringComparison.Ordinal)
               && summary.Length <= JobsDashboardHtml.ErrorSummaryLength + 1
               && (firstLine.Length <= JobsDashboardHtml.ErrorSummaryLength
                   ? summary == firstLine
                   : summary == string.Concat(firstLine.AsSpan(0, JobsDashboardHtml.ErrorSummaryLength), "…"));
    }

    [Fact]
    public void AStatusName_IsItsWireName()
    {
        JobsDashboardHtml.StatusName(Application.Common.Jobs.JobStatus.DeadLettered).ShouldBe("dead_lettered");
        JobsDashboardHtml.StatusName(Application.Common.Jobs.JobStatus.Queued).ShouldBe("queued");
    }
}
