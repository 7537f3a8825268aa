using Loupe.Domain.Common;
using Loupe.Domain.Runs;

namespace Loupe.Domain.Tests.Runs;

public sealed class RunQueueQuotaTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 200)]
    [InlineData(199, 200)]
    public void BelowTheLimit_ThereIsRoom(int queued, int limit) => RunQueueQuota.EnsureRoom(queued, limit);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(200, 200)]
    [InlineData(250, 200)]
    public void AtOrAboveTheLimit_TheQueueIsFull_AsALimitThatFreesItself(int queued, int limit)
    {
        var refused = Should.Throw<DomainException>(() => RunQueueQuota.EnsureRoom(queued, limit));

        refused.Error.Code.ShouldBe("run.queue_full");
        refused.Error.Kind.ShouldBe(DomainErrorKind.LimitReached);
        refused.Error.Message.ShouldContain(limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
