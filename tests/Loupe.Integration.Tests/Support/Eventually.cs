using System.Diagnostics;

namespace Loupe.Integration.Tests.Support;

/// <summary>
/// The one way a test waits for something that happens in the background: it looks again every
/// <see cref="Interval"/> (or the interval given) until the condition holds, and after the timeout
/// fails with a <see cref="TimeoutException"/> saying what was awaited and what it saw last. An exception
/// thrown while looking ends the wait at once.
/// </summary>
public static class Eventually
{
    /// <summary>How long a poll waits before looking again, unless it says otherwise.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Observes until <paramref name="holds"/> accepts what <paramref name="observe"/> answers, and
    /// answers that; fails after <paramref name="timeout"/> with <paramref name="description"/> and the
    /// last observation (as <paramref name="describe"/> writes it, or its <c>ToString</c>).
    /// </summary>
    public static Task<T> HoldsAsync<T>(
        Func<Task<T>> observe,
        Func<T, bool> holds,
        TimeSpan timeout,
        string description,
        Func<T, string>? describe = null,
        TimeSpan? interval = null) =>
        PollAsync(observe, holds, timeout, description, last => Task.FromResult(describe is null ? $"{last}" : describe(last)), interval);

    /// <summary>
    /// Waits until <paramref name="condition"/> is true; fails after <paramref name="timeout"/> with
    /// <paramref name="description"/> and, when given, what <paramref name="describe"/> reads of the state then.
    /// </summary>
    public static Task HoldsAsync(
        Func<Task<bool>> condition,
        TimeSpan timeout,
        string description,
        Func<Task<string>>? describe = null,
        TimeSpan? interval = null) =>
        PollAsync(condition, held => held, timeout, description, _ => describe is null ? Task.FromResult("false") : describe(), interval);

    /// <summary>Waits until <paramref name="condition"/> is true; fails after <paramref name="timeout"/> with <paramref name="description"/>.</summary>
    public static Task HoldsAsync(Func<bool> condition, TimeSpan timeout, string description, TimeSpan? interval = null) =>
        PollAsync(() => Task.FromResult(condition()), held => held, timeout, description, _ => Task.FromResult("false"), interval);

    private static async Task<T> PollAsync<T>(
        Func<Task<T>> observe, Func<T, bool> holds, TimeSpan timeout, string description, Func<T, Task<string>> describe, TimeSpan? interval)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var last = await observe();
            if (holds(last))
            {
                return last;
            }

            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"Not true after {timeout}: {description}.\nLast observed: {await describe(last)}");
            }

            await Task.Delay(interval ?? Interval, TestContext.Current.CancellationToken);
        }
    }
}
