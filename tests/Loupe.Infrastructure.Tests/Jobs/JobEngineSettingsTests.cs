using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Infrastructure.Jobs;

namespace Loupe.Infrastructure.Tests.Jobs;

/// <summary>The engine's settings, its backoff arithmetic and the error text it stores, without a database.</summary>
public sealed class JobEngineSettingsTests
{
    [Fact]
    public void TheDefaults_HaveNoProblem() => new JobsOptions().Problems().ShouldBeEmpty();

    [Theory]
    [InlineData("Concurrency", "0", "Jobs:Concurrency")]
    [InlineData("MaxRunningPerOrganization", "0", "Jobs:MaxRunningPerOrganization")]
    [InlineData("LeaseSeconds", "4000", "Jobs:LeaseSeconds")]
    [InlineData("HeartbeatSeconds", "15", "Jobs:HeartbeatSeconds")]
    [InlineData("SweepSeconds", "0", "Jobs:SweepSeconds")]
    [InlineData("PollMilliseconds", "10", "Jobs:PollMilliseconds")]
    [InlineData("ShutdownGraceSeconds", "-1", "Jobs:ShutdownGraceSeconds")]
    [InlineData("RetryBaseSeconds", "0", "Jobs:RetryBaseSeconds")]
    [InlineData("RetryMaxSeconds", "1", "Jobs:RetryMaxSeconds")]
    [InlineData("NodeId", "two words", "Jobs:NodeId")]
    [InlineData("ReservedShare", "0.95", "Jobs:ReservedShare")]
    [InlineData("ReservedShare", "-0.1", "Jobs:ReservedShare")]
    [InlineData("NodeLostSeconds", "0", "Jobs:NodeLostSeconds")]
    [InlineData("NodeForgetSeconds", "30", "Jobs:NodeForgetSeconds")]
    public void ABadValue_IsReportedByItsKey(string property, string value, string key)
    {
        var options = new JobsOptions();
        var target = typeof(JobsOptions).GetProperty(property)!;
        target.SetValue(options, Convert.ChangeType(value, target.PropertyType, System.Globalization.CultureInfo.InvariantCulture));

        options.Problems().ShouldHaveSingleItem().ShouldStartWith(key);
    }

    [Theory]
    [InlineData("SucceededDays", 0, "Jobs:Retention:SucceededDays")]
    [InlineData("FailedDays", 3651, "Jobs:Retention:FailedDays")]
    [InlineData("SweepMinutes", -1, "Jobs:Retention:SweepMinutes")]
    [InlineData("BatchSize", 99, "Jobs:Retention:BatchSize")]
    public void ABadRetentionValue_IsReportedByItsKey(string property, int value, string key)
    {
        var options = new JobsOptions();
        typeof(JobRetentionOptions).GetProperty(property)!.SetValue(options.Retention, value);

        options.Problems().ShouldHaveSingleItem().ShouldStartWith(key);
    }

    [Theory]
    [InlineData(5, 30, 600, 30, 600)]
    [InlineData(60, 30, 600, 120, 600)]
    [InlineData(300, 30, 600, 600, 900)]
    public void TheNodeThresholds_AreRaisedToTheSweep_SoOneMissedBeatIsNoLoss(int sweep, int lost, int forget, int effectiveLost, int effectiveForget)
    {
        var options = new JobsOptions { SweepSeconds = sweep, NodeLostSeconds = lost, NodeForgetSeconds = forget };

        options.Problems().ShouldBeEmpty();
        options.EffectiveNodeLostSeconds.ShouldBe(effectiveLost);
        options.EffectiveNodeForgetSeconds.ShouldBe(effectiveForget);
    }

    [Theory]
    [InlineData(8, 0.25, 2)]
    [InlineData(8, 0, 0)]
    [InlineData(4, 0.25, 1)]
    [InlineData(2, 0.25, 1)]
    [InlineData(1, 0.5, 0)]
    [InlineData(10, 0.9, 9)]
    [InlineData(3, 0.9, 2)]
    public void TheReservedSlots_AreTheShareRoundedUp_LeavingOneOpen(int concurrency, double share, int reserved) =>
        new JobsOptions { Concurrency = concurrency, ReservedShare = share }.ReservedSlots.ShouldBe(reserved);

    [Fact]
    public void ABadQueueName_IsReported()
    {
        var options = new JobsOptions();
        options.Queues.Add("Reports");

        options.Problems().ShouldHaveSingleItem().ShouldStartWith("Jobs:Queues");
    }

    [Property]
    public Property AnErrorText_IsStorable_AndOnlyItsBadCharactersAndItsTailChange()
    {
        // Any characters, NULs and both halves of surrogate pairs among them, around the length limit.
        var characters = Gen.OneOf(
            Gen.Elements('\0', '\ud800', '\udbff', '\udc00', '\udfff', 'a', 'é', ' '),
            Gen.Choose(0, 0xFFFF).Select(code => (char)code));
        var texts = Gen.OneOf(
            characters.ArrayOf().Select(chars => new string(chars)),
            Gen.Choose(AttemptEnding.MaxErrorLength - 3, AttemptEnding.MaxErrorLength + 3).SelectMany(length => characters.ArrayOf(length).Select(chars => new string(chars))));

        return Prop.ForAll(texts.ToArbitrary(), text =>
        {
            var stored = AttemptEnding.StorableError(text);

            stored.Length.ShouldBeLessThanOrEqualTo(AttemptEnding.MaxErrorLength);
            stored.ShouldNotContain('\0');
            for (var i = 0; i < stored.Length; i++)
            {
                if (char.IsHighSurrogate(stored[i]))
                {
                    (i + 1 < stored.Length && char.IsLowSurrogate(stored[i + 1])).ShouldBeTrue();
                    i++;
                }
                else
                {
                    char.IsLowSurrogate(stored[i]).ShouldBeFalse();
                    (stored[i] == text[i] || stored[i] == '\uFFFD').ShouldBeTrue();
                }
            }

            stored.Length.ShouldBeGreaterThanOrEqualTo(Math.Min(text.Length, AttemptEnding.MaxErrorLength) - 1);
        });
    }

    [Fact]
    public void AnErrorText_KeepsWhatIsStorable_AndReplacesNulsAndLoneSurrogates()
    {
        AttemptEnding.StorableError("plain").ShouldBe("plain");
        AttemptEnding.StorableError("a\0b\ud83d\ude00c\udc00").ShouldBe("a\uFFFDb\ud83d\ude00c\uFFFD");
    }

    [Property]
    public Property TheBackoff_WaitsBetweenHalfAndAllOfItsDoublingStep_UpToTheMaximum()
    {
        return Prop.ForAll(Gen.Choose(1, 40).ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (attempt, thousandths) =>
        {
            var baseDelay = TimeSpan.FromSeconds(30);
            var max = TimeSpan.FromHours(1);
            var step = Math.Min(max.TotalSeconds, 30 * Math.Pow(2, Math.Min(attempt - 1, 30)));

            var delay = RetryBackoff.Delay(attempt, baseDelay, max, thousandths / 1000.0 * 0.999);

            delay.TotalSeconds.ShouldBeInRange((step / 2) - 1e-9, step + 1e-9);
        });
    }

    [Fact]
    public void TheBackoff_AtTheLowestJitter_IsHalfTheDoublingStep()
    {
        RetryBackoff.Delay(1, TimeSpan.FromSeconds(30), TimeSpan.FromHours(1), 0).ShouldBe(TimeSpan.FromSeconds(15));
        RetryBackoff.Delay(3, TimeSpan.FromSeconds(30), TimeSpan.FromHours(1), 0).ShouldBe(TimeSpan.FromSeconds(60));
    }
}
