using Microsoft.Extensions.Time.Testing;

namespace JobQueue.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes (for real processes and asynchronous effects).</summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    public static async Task<T> Get<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? within = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        using var poll = new PeriodicTimer(PollInterval);
        while (true)
        {
            var last = await probe();
            if (done(last))
            {
                return last;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what ?? "condition"} did not hold in time; last value: {last}");
            }

            await poll.WaitForNextTickAsync();
        }
    }

    public static Task True(Func<Task<bool>> probe, TimeSpan? within = null, string? what = null) =>
        Get(probe, b => b, within, what);

    public static Task True(Func<bool> probe, TimeSpan? within = null, string? what = null) =>
        Get(() => Task.FromResult(probe()), b => b, within, what);

    /// <summary>
    /// Polls until <paramref name="probe"/> holds, moving <paramref name="clock"/> a quarter second on after each miss:
    /// for grain timers on the fake clock, whose callbacks then run asynchronously.
    /// </summary>
    public static Task Ticking(FakeTimeProvider clock, Func<Task<bool>> probe, TimeSpan? within = null, string? what = null) =>
        True(
            async () =>
            {
                if (await probe())
                {
                    return true;
                }

                clock.Advance(TimeSpan.FromMilliseconds(250));
                return false;
            },
            within,
            what);
}
