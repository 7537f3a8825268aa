using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Common;
using Loupe.Domain.Webhooks;

namespace Loupe.Domain.Tests.Webhooks;

public sealed class WebhookDeliveryTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static WebhookDelivery NewDelivery() =>
        WebhookDelivery.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), WebhookEvents.RunSucceeded, Now);

    [Property]
    public Property EveryStatusCode_IsClassifiedByTheRetryPolicy() =>
        Prop.ForAll(Gen.Choose(100, 599).ToArbitrary(), code =>
        {
            var expected = code switch
            {
                >= 200 and < 300 => DeliveryOutcome.Succeeded,
                410 => DeliveryOutcome.Gone,
                408 or 429 => DeliveryOutcome.Retry,
                >= 400 and < 500 => DeliveryOutcome.Refused,
                _ => DeliveryOutcome.Retry,
            };
            return DeliveryOutcomes.Classify(code) == expected && DeliveryOutcomes.Classify(code, failedToSend: true) == DeliveryOutcome.Retry;
        });

    [Property]
    public Property ADeliveryThatKeepsFailingInPassing_IsAttemptedSixTimes_ThenDeadLettered_WithLaterAndLaterAttempts()
    {
        var answers = Gen.Elements<int?>(null, 408, 429, 500, 502, 503, 301, 302);
        return Prop.ForAll(answers.ArrayOf(WebhookDelivery.MaxAttempts).ToArbitrary(), codes =>
        {
            var delivery = NewDelivery();
            var now = Now;
            var due = new List<DateTimeOffset>();
            foreach (var code in codes)
            {
                delivery.Status.ShouldBe(DeliveryStatus.Pending);
                now = delivery.NextAttemptAt!.Value;
                due.Add(now);
                delivery.RecordAttempt(code, code is null ? "No answer." : null, 5, now, attempt => TimeSpan.FromSeconds(10 * Math.Pow(2, attempt - 1)));
            }

            return delivery.Status == DeliveryStatus.DeadLettered
                && delivery.Attempts == WebhookDelivery.MaxAttempts
                && delivery.NextAttemptAt is null
                && due.Zip(due.Skip(1)).All(pair => pair.Second > pair.First);
        });
    }

    [Fact]
    public void Success_GoneAndRefusal_EndADelivery_AtOnce()
    {
        var succeeded = NewDelivery();
        succeeded.RecordAttempt(204, null, 12, Now, _ => TimeSpan.FromSeconds(1)).ShouldBe(DeliveryOutcome.Succeeded);
        succeeded.Status.ShouldBe(DeliveryStatus.Succeeded);
        succeeded.LastError.ShouldBeNull();

        var gone = NewDelivery();
        gone.RecordAttempt(410, null, 12, Now, _ => TimeSpan.FromSeconds(1)).ShouldBe(DeliveryOutcome.Gone);
        gone.Status.ShouldBe(DeliveryStatus.Failed);

        var refused = NewDelivery();
        refused.RecordAttempt(400, null, 12, Now, _ => TimeSpan.FromSeconds(1)).ShouldBe(DeliveryOutcome.Refused);
        refused.Status.ShouldBe(DeliveryStatus.Failed);
        refused.LastError.ShouldBe("The receiver answered 400.");
        refused.NextAttemptAt.ShouldBeNull();
    }

    [Fact]
    public void AFinishedDelivery_CanBeRedelivered_FromItsFirstAttempt_ButAPendingOneCannot()
    {
        var delivery = NewDelivery();
        Should.Throw<DomainException>(() => delivery.Redeliver(Now)).Error.ShouldBe(WebhookErrors.DeliveryNotRedeliverable);

        delivery.RecordAttempt(400, null, 1, Now, _ => TimeSpan.Zero);
        delivery.Redeliver(Now.AddMinutes(1));

        delivery.Status.ShouldBe(DeliveryStatus.Pending);
        delivery.Attempts.ShouldBe(0);
        delivery.AwaitsAttempt(1).ShouldBeTrue();
        delivery.AwaitsAttempt(2).ShouldBeFalse();
    }

    [Fact]
    public void AWebhook_DisablesItself_AfterTheConfiguredFailuresInARow_AndASuccessStartsTheCountAgain()
    {
        var webhook = Webhook.Create(
            Guid.CreateVersion7(), Guid.CreateVersion7(), "Ops", WebhookUrl.Parse("https://hooks.example.com/", false), [WebhookEvents.RunFailed], true,
            Loupe.Domain.DataSources.EncryptedSecret.Create("k1", [1, 2, 3]), null, Now);

        webhook.RecordFailure(3, Now).ShouldBeFalse();
        webhook.RecordFailure(3, Now).ShouldBeFalse();
        webhook.RecordSuccess().ShouldBeTrue();
        webhook.RecordFailure(3, Now).ShouldBeFalse();
        webhook.RecordFailure(3, Now).ShouldBeFalse();
        webhook.RecordFailure(3, Now).ShouldBeTrue();

        webhook.Enabled.ShouldBeFalse();
        webhook.DisabledReason.ShouldBe(WebhookDisabledReasons.TooManyFailures);
        webhook.Wants(WebhookEvents.RunFailed).ShouldBeFalse();

        webhook.SetEnabled(true, Now);
        webhook.ConsecutiveFailures.ShouldBe(0);
        webhook.DisabledReason.ShouldBeNull();
    }

    [Fact]
    public void Events_AreKeptOnceEach_InTheirCanonicalOrder_AndUnknownOnesAreRefused()
    {
        var webhook = Webhook.Create(
            Guid.CreateVersion7(), Guid.CreateVersion7(), "Ops", WebhookUrl.Parse("https://hooks.example.com/", false),
            [WebhookEvents.AlertResolved, WebhookEvents.RunSucceeded, WebhookEvents.RunSucceeded], true,
            Loupe.Domain.DataSources.EncryptedSecret.Create("k1", [1]), null, Now);

        webhook.Events.ShouldBe([WebhookEvents.RunSucceeded, WebhookEvents.AlertResolved]);
        Should.Throw<DomainException>(() => webhook.Subscribe(["run.exploded"], Now)).Error.ShouldBe(WebhookErrors.EventUnknown);
        Should.Throw<DomainException>(() => webhook.Subscribe([], Now)).Error.ShouldBe(WebhookErrors.EventsRequired);
    }

    [Property]
    public Property ASignature_VerifiesOnlyTheExactTimestampAndBody()
    {
        var cases = from body in Gen.Choose(0, 255).ArrayOf().Select(b => b.Select(x => (byte)x).ToArray())
                    from timestamp in Gen.Choose(0, int.MaxValue)
                    from flip in Gen.Choose(0, 1000)
                    select (body, (long)timestamp, flip);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            const string secret = "whsec_test";
            var signature = WebhookSignature.Sign(secret, c.Item2, c.body);
            var altered = c.body.Length == 0 ? [1] : c.body.ToArray();
            if (c.body.Length > 0)
            {
                altered[c.flip % altered.Length] ^= 0x01;
            }

            return WebhookSignature.Verify(secret, c.Item2, c.body, signature)
                && !WebhookSignature.Verify(secret, c.Item2 + 1, c.body, signature)
                && !WebhookSignature.Verify(secret, c.Item2, altered, signature)
                && !WebhookSignature.Verify("whsec_other", c.Item2, c.body, signature)
                && signature.StartsWith(WebhookSignature.Prefix, StringComparison.Ordinal)
                && signature.Length == WebhookSignature.Prefix.Length + 64;
        });
    }
}
