using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Infrastructure.Security.Limits;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Tests.Security.Limits;

public sealed class InMemoryAttemptLimiterTests
{
    private const string Email = AttemptLimitOptions.AuthEmailScope;
    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);

    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void TryAcquire_WhenLimitReached_RefusesWithRetryAfterUntilTheWindowPasses()
    {
        var limiter = LimiterWith(new AttemptLimitOptions());

        for (var i = 0; i < 10; i++)
        {
            limiter.TryAcquire(Email, "jane@example.com", out var none).ShouldBeTrue();
            none.ShouldBe(TimeSpan.Zero);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        limiter.TryAcquire(Email, "jane@example.com", out var retryAfter).ShouldBeFalse();
        retryAfter.ShouldBeGreaterThan(TimeSpan.Zero);
        retryAfter.ShouldBeLessThanOrEqualTo(Minute);
        retryAfter.ShouldBe(TimeSpan.FromSeconds(50));

        _clock.Advance(retryAfter - TimeSpan.FromTicks(1));
        limiter.TryAcquire(Email, "jane@example.com", out _).ShouldBeFalse();
        _clock.Advance(TimeSpan.FromTicks(1));
        limiter.TryAcquire(Email, "jane@example.com", out _).ShouldBeTrue();
    }

    [Fact]
    public void TryAcquire_WhenWholeWindowPassed_AllowsAFullBurstAgain()
    {
        var limiter = LimiterWith(new AttemptLimitOptions());
        Burst(limiter, Email, "jane@example.com", 10).ShouldBe(10);

        _clock.Advance(Minute);

        Burst(limiter, Email, "jane@example.com", 11).ShouldBe(10);
    }

    [Fact]
    public void TryAcquire_KeysAndScopesAreIndependent()
    {
        var limiter = LimiterWith(new AttemptLimitOptions());
        Burst(limiter, Email, "jane@example.com", 10);

        limiter.TryAcquire(Email, "john@example.com", out _).ShouldBeTrue();
        limiter.TryAcquire(AttemptLimitOptions.AuthIpScope, "jane@example.com", out _).ShouldBeTrue();
        limiter.TryAcquire(Email, "jane@example.com", out _).ShouldBeFalse();
    }

    [Fact]
    public void TryAcquire_ComparesKeysIgnoringCase()
    {
        var limiter = LimiterWith(new AttemptLimitOptions());
        Burst(limiter, Email, "Jane@Example.com", 10);

        limiter.TryAcquire(Email, "jane@example.COM", out _).ShouldBeFalse();
        limiter.TryAcquire("AUTH.EMAIL", "JANE@EXAMPLE.COM", out _).ShouldBeFalse();
    }

    [Fact]
    public void TryAcquire_WhenScopeUnknown_NamesTheSettingToAdd()
    {
        var limiter = LimiterWith(new AttemptLimitOptions());

        Should.Throw<ArgumentException>(() => limiter.TryAcquire("auth.nope", "k", out _))
            .Message.ShouldContain("RateLimits:Scopes:auth.nope");
    }

    [Fact]
    public void TryAcquire_UsesConfiguredScopeLimits()
    {
        var options = new AttemptLimitOptions();
        options.Scopes["reset"] = new AttemptWindow { PermitLimit = 2, WindowSeconds = 600 };
        var limiter = LimiterWith(options);

        Burst(limiter, "reset", "k", 2);
        limiter.TryAcquire("reset", "k", out var retryAfter).ShouldBeFalse();

        retryAfter.ShouldBe(TimeSpan.FromSeconds(600));
    }

    [Fact]
    public void TryAcquire_WhenEntriesStale_SweepsThem()
    {
        var limiter = LimiterWith(new AttemptLimitOptions());
        for (var i = 0; i < 500; i++)
        {
            limiter.TryAcquire(Email, $"user{i}@example.com", out _);
        }

        _clock.Advance(TimeSpan.FromMinutes(2));
        limiter.TryAcquire(Email, "fresh@example.com", out _).ShouldBeTrue();

        limiter.TrackedKeys.ShouldBe(1);
    }

    [Fact]
    public void TryAcquire_WhenMoreKeysThanTheCap_StaysBounded()
    {
        var limiter = LimiterWith(new AttemptLimitOptions { MaxTrackedKeys = 100 });

        for (var i = 0; i < 1_000; i++)
        {
            limiter.TryAcquire(Email, $"user{i}@example.com", out _).ShouldBeTrue();
            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        limiter.TrackedKeys.ShouldBeLessThanOrEqualTo(101);
    }

    [Fact]
    public void TryAcquire_FromManyThreads_AllowsExactlyTheLimit()
    {
        var limiter = LimiterWith(new AttemptLimitOptions());
        var allowed = 0;

        Parallel.For(0, 1_000, attempt =>
        {
            if (limiter.TryAcquire(Email, "jane@example.com", out _))
            {
                Interlocked.Increment(ref allowed);
            }
        });

        allowed.ShouldBe(10);
    }

    [Property(MaxTest = 300)]
    public Property TryAcquire_InAnyWindow_NeverAllowsMoreThanThePermitLimit()
    {
        var cases =
            from permitLimit in Gen.Choose(1, 6)
            from windowSeconds in Gen.Choose(1, 30)
            from gaps in Gen.ListOf(Gen.Frequency((4, Gen.Choose(0, 1_000)), (1, Gen.Choose(1_000, 40_000))))
            select (permitLimit, windowSeconds, gaps);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var clock = new ManualTimeProvider();
            var options = new AttemptLimitOptions();
            options.Scopes["p"] = new AttemptWindow { PermitLimit = c.permitLimit, WindowSeconds = c.windowSeconds };
            var limiter = new InMemoryAttemptLimiter(Options.Create(options), clock);
            var window = TimeSpan.FromSeconds(c.windowSeconds);
            var successes = new List<DateTimeOffset>();

            foreach (var gap in c.gaps)
            {
                clock.Advance(TimeSpan.FromMilliseconds(gap));
                if (limiter.TryAcquire("p", "key", out var retryAfter))
                {
                    successes.Add(clock.GetUtcNow());
                }
                else if (retryAfter <= TimeSpan.Zero || retryAfter > window
                    || successes.Count(s => clock.GetUtcNow() - s < window) < c.permitLimit)
                {
                    // A refusal must be earned: PermitLimit successes within the last window.
                    return false;
                }
            }

            // Every run of PermitLimit + 1 consecutive successes spans at least one whole window.
            return successes
                .Zip(successes.Skip(c.permitLimit))
                .All(pair => pair.Second - pair.First >= window);
        });
    }

    private InMemoryAttemptLimiter LimiterWith(AttemptLimitOptions options) => new(Options.Create(options), _clock);

    private static int Burst(InMemoryAttemptLimiter limiter, string scope, string key, int attempts) =>
        Enumerable.Range(0, attempts).Count(attempt => limiter.TryAcquire(scope, key, out _));
}
